namespace Tensorlet.NN;

/// <summary>
/// Submodules kept in order and registered under their positions ("0", "1", ...), as PyTorch names the children of
/// <c>Sequential</c> and <c>ModuleList</c>, so state dicts carry the same keys.
/// </summary>
/// <typeparam name="TSelf">The container type, which <see cref="Add"/> returns for chaining.</typeparam>
public abstract class ModuleSequence<TSelf> : Module, IReadOnlyList<Module> where TSelf : ModuleSequence<TSelf>
{
    private readonly List<Module> _items = new();

    /// <summary>Adds <paramref name="modules"/> in order.</summary>
    protected ModuleSequence(Module[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    /// <summary>The modules in order (for subclasses that run or export them).</summary>
    protected IReadOnlyList<Module> Items => _items;

    /// <summary>Appends a module, named by its position.</summary>
    public TSelf Add(Module module)
    {
        RegisterModule(_items.Count.ToString(), module);
        _items.Add(module);
        return (TSelf)this;
    }

    /// <summary>The module at <paramref name="index"/>.</summary>
    public Module this[int index] => _items[index];

    /// <summary>How many modules there are.</summary>
    public int Count => _items.Count;

    /// <summary>Enumerates the modules in order.</summary>
    public IEnumerator<Module> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
