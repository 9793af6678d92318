#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// A tensor is a flat buffer plus a shape, strides and an offset. Reshape, transpose, slice and expand make new
// views of the same buffer — no copy — and broadcasting stretches size-1 axes with a stride of 0.
using Tensorlet;

static string Dims(int[] a) => "[" + string.Join(", ", a) + "]";
static void Describe(string name, Tensor t) =>
    Console.WriteLine($"{name,-14} shape {Dims(t.Shape),-10} strides {Dims(t.Strides),-10} offset {t.Offset}  contiguous {t.IsContiguous}");

var a = Tensor.Arange(12).Reshape(3, 4);
Console.WriteLine("a = arange(12).reshape(3, 4):");
Console.WriteLine(a);
Describe("a", a);

// Element (i, j) lives at offset + i·stride0 + j·stride1 of the buffer.
var at = a.T;
Describe("a.T", at);
var row1 = a.Narrow(0, 1, 1);
Describe("a[1:2, :]", row1);
var everyOther = a.Slice(1, 0, 4, 2);
Describe("a[:, ::2]", everyOther);
Console.WriteLine("a[:, ::2] =");
Console.WriteLine(everyOther);

// A view shares its base's buffer: writing through the view changes the base.
everyOther.FillInPlace(-1);
Console.WriteLine("after a[:, ::2].fill_(-1), the base a is:");
Console.WriteLine(a);

// A transposed view is not contiguous; Contiguous() copies it into row-major order (new strides).
var atc = at.Contiguous();
Describe("a.T.contiguous", atc);

// Broadcasting: [3, 1] + [1, 4] → [3, 4]. Expand makes the stretched axis a stride of 0: nothing is copied.
var col = Tensor.FromArray([0f, 10f, 20f], [3, 1]);
var row = Tensor.FromArray([1f, 2f, 3f, 4f], [1, 4]);
Describe("col.expand", col.Expand(3, 4));
Describe("row.expand", row.Expand(3, 4));
var sum = col + row;
Console.WriteLine("col [3,1] + row [1,4] =");
Console.WriteLine(sum);
float expected = 20f + 4f;
Console.WriteLine($"sum[2, 3] = {sum.ToArray()[2 * 4 + 3]} (expected {expected})");
