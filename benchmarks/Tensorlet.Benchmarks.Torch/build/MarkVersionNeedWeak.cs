using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// MSBuild task (compiled by RoslynCodeTaskFactory, see PatchLibTorchSharp.targets): marks one symbol-version need of
/// an ELF64 little-endian shared library as weak (VER_FLG_WEAK in the vna_flags of its Vernaux entry in
/// .gnu.version_r). The dynamic loader then reports a missing weak version as a warning instead of refusing the library.
/// TorchSharp 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++) only for
/// std::ios_base_library_init, a marker symbol nothing calls, so on Debian 12 (GCC 12) the weak flag is all it takes.
/// The file is rewritten through a temporary copy, a delete and a rename, so a hard link into the NuGet cache is never
/// written through. Written for RoslynCodeTaskFactory, which compiles against .NET Standard 2.0.
/// </summary>
public sealed class MarkVersionNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The library to patch (the copy in the build output).</summary>
    [Required] public string Library { get; set; } = "";

    /// <summary>The version name whose need becomes weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        byte[] elf = File.ReadAllBytes(Library);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            return Fail("is not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) return Fail("is not a 64-bit little-endian ELF file");
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            long verneed = (long)U64(elf, sh + 0x18);
            uint strtabIndex = U32(elf, sh + 0x28);
            long strtab = (long)U64(elf, shoff + strtabIndex * shentsize + 0x18);
            return Patch(elf, verneed, strtab);
        }
        return Fail("has no .gnu.version_r section");
    }

    private bool Patch(byte[] elf, long verneed, long strtab)
    {
        // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
        for (long need = verneed; ; )
        {
            int count = U16(elf, need + 2);
            long aux = need + U32(elf, need + 8);
            for (int i = 0; i < count; i++)
            {
                if (Name(elf, strtab + U32(elf, aux + 8)) == Version)
                {
                    ushort flags = U16(elf, aux + 4);
                    if ((flags & VerFlgWeak) != 0)
                    {
                        Log.LogMessage(MessageImportance.Normal, $"{Library}: {Version} is already weak.");
                        return true;
                    }
                    flags |= VerFlgWeak;
                    elf[aux + 4] = (byte)flags;
                    elf[aux + 5] = (byte)(flags >> 8);
                    // Delete, then rename: the old directory entry (maybe a hard link into the cache) is dropped, not written.
                    string temporary = Library + ".patching";
                    File.WriteAllBytes(temporary, elf);
                    File.Delete(Library);
                    File.Move(temporary, Library);
                    Log.LogMessage(MessageImportance.High, $"{Library}: marked the {Version} version need weak.");
                    return true;
                }
                uint nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(elf, need + 12);
            if (next == 0) break;
            need += next;
        }
        // Nothing to do: a TorchSharp build against an older libstdc++ does not need the version at all.
        Log.LogMessage(MessageImportance.High, $"{Library}: needs no {Version}; left unchanged.");
        return true;
    }

    private bool Fail(string what)
    {
        Log.LogError($"{Library} {what}; cannot mark {Version} weak.");
        return false;
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)at);
    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)at);
    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)at);

    private static string Name(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
