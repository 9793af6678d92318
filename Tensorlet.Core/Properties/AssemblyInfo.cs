using System.Runtime.CompilerServices;

// Every assembly that may see this one's internals, in one place (the layering test reads them from the built dll).
// Only the tests: Models and the CLI use Core's public API like any user would.
[assembly: InternalsVisibleTo("Tensorlet.Tests")]
