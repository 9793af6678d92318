using System.Runtime.CompilerServices;

// The one place this assembly names who may see its internals: the parse-level tests build the commands in process
// (choices, help, completion).
[assembly: InternalsVisibleTo("Tensorlet.Tests")]
