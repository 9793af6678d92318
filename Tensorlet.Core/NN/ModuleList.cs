namespace Tensorlet.NN;

/// <summary>
/// Holds submodules in a list (named "0", "1", ...) so their parameters are registered, without defining how
/// they are called — the owner's Forward decides (like <c>torch.nn.ModuleList</c>).
/// </summary>
public sealed class ModuleList : ModuleSequence<ModuleList>
{
    public ModuleList(params Module[] modules) : base(modules) { }

    public override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException("ModuleList has no Forward of its own; call its items from the owning module's Forward.");
}
