namespace Tensorlet.NN;

/// <summary>
/// Holds submodules in a list (named "0", "1", ...) so their parameters are registered, without defining how
/// they are called — the owner's Forward decides (like <c>torch.nn.ModuleList</c>).
/// </summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _items = new();

    public ModuleList(params Module[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    public ModuleList Add(Module module)
    {
        RegisterModule(_items.Count.ToString(), module);
        _items.Add(module);
        return this;
    }

    public Module this[int index] => _items[index];
    public int Count => _items.Count;
    public IEnumerator<Module> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException("ModuleList has no Forward of its own; call its items from the owning module's Forward.");
}
