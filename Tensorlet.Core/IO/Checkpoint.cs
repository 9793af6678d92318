using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.IO;

/// <summary>
/// A whole training run in one safetensors file, so PyTorch can still read the weights: tensors "model.{state dict
/// name}" and "optimizer.{index}.{slot}"; in <c>__metadata__</c> the epoch and step, the optimizer's type, step counts
/// and learning rate, the schedule's state, generator states ("rng.{name}", "loader.{name}": hexadecimal words),
/// free-form notes ("user.{key}"), and a SHA-256 ("sha256") over every tensor's name, shape and bytes and every other
/// metadata entry. Saving replaces the file atomically (temp file, flush to disk, rename). Loading reads and checks
/// everything — format, checksum, every name and shape against the model, optimizer and schedule — before it changes
/// anything, so a corrupt or mismatched checkpoint throws <see cref="InvalidDataException"/> naming the file and
/// never leaves a half-loaded model: weights, optimizer state and schedule are all checked (names, shapes, and the
/// ranges of every number) before the first of them is assigned.
/// </summary>
public static class Checkpoint
{
    /// <summary>The value of the "format" metadata entry.</summary>
    public const string Format = "tensorlet-checkpoint/1";

    private const string ModelPrefix = "model.", OptimizerPrefix = "optimizer.", ChecksumKey = "sha256";

    /// <summary>Writes the checkpoint to <paramref name="path"/>, replacing any file there atomically.</summary>
    public static void Save(string path, Module model, Optimizer? optimizer = null, LRSchedule? schedule = null, TrainingState? state = null)
    {
        state ??= new TrainingState();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, t) in model.StateDict()) tensors[ModelPrefix + name] = t;
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["epoch"] = Text(state.Epoch),
            ["step"] = Text(state.Step),
        };
        if (optimizer != null)
        {
            foreach (var (name, t) in optimizer.StateTensors()) tensors[OptimizerPrefix + name] = t;
            meta["optimizer.type"] = optimizer.GetType().Name;
            meta["optimizer.step_count"] = Text(optimizer.StepCount);
            meta["optimizer.parameter_steps"] = string.Join(",", optimizer.ParameterSteps.Select(Text));
            meta["optimizer.lr"] = Text(optimizer.LearningRate);
        }
        if (schedule != null)
        {
            meta["schedule.type"] = schedule.GetType().Name;
            meta["schedule.last_epoch"] = Text(schedule.LastEpoch);
            meta["schedule.base_lr"] = Text(schedule.BaseLearningRate);
        }
        foreach (var (name, words) in state.Generators) meta["rng." + name] = Words(words);
        foreach (var (name, streams) in state.Loaders) meta["loader." + name] = string.Join(";", streams.Select(Words));
        foreach (var (key, value) in state.Metadata) meta["user." + key] = value;

        Sign(tensors, meta);
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Stores the checksum of <paramref name="tensors"/> and <paramref name="meta"/> in <paramref name="meta"/>.</summary>
    internal static void Sign(IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> meta)
    {
        using var digest = new Digest();
        foreach (var (name, t) in tensors) digest.AddTensor(name, t.ShapeSpan, SafeTensors.LittleEndianBytes(t));
        meta[ChecksumKey] = digest.Finish(meta);
    }

    /// <summary>
    /// Reads and verifies the checkpoint at <paramref name="path"/> (format, checksum, the ranges of its entries) and
    /// returns its training state without restoring anything — to look at a run before building its model.
    /// </summary>
    public static TrainingState Inspect(string path)
    {
        using var file = ReadVerified(path);
        var meta = file.Metadata;
        if (meta.ContainsKey("optimizer.type")) ReadOptimizerNumbers(path, meta);
        if (meta.ContainsKey("schedule.type")) ReadScheduleNumbers(path, meta);
        return ReadTrainingState(path, meta);
    }

    private static (long StepCount, long[] ParameterSteps, float Lr) ReadOptimizerNumbers(string path, IReadOnlyDictionary<string, string> meta)
    {
        long stepCount = Long(path, meta, "optimizer.step_count", 0, long.MaxValue);
        string steps = Entry(path, meta, "optimizer.parameter_steps");
        long[] parameterSteps = steps.Length == 0 ? [] : steps.Split(',').Select(s => Long(path, "optimizer.parameter_steps", s, 0, long.MaxValue)).ToArray();
        return (stepCount, parameterSteps, Rate(path, meta, "optimizer.lr"));
    }

    private static (int LastEpoch, float BaseLr) ReadScheduleNumbers(string path, IReadOnlyDictionary<string, string> meta) =>
        ((int)Long(path, meta, "schedule.last_epoch", 0, int.MaxValue), Rate(path, meta, "schedule.base_lr"));

    /// <summary>The file's tensors and metadata once its format and checksum are confirmed.</summary>
    private static SafeTensorsFile ReadVerified(string path)
    {
        using var digest = new Digest();
        var file = SafeTensors.Read(path, device: null, (info, bytes) =>
        {
            if (info.DType != "F32") throw Fail(path, $"tensor '{info.Name}' is {info.DType}; checkpoints hold F32 only");
            digest.AddTensor(info.Name, info.Shape, bytes);
        });
        try
        {
            var meta = file.Metadata;
            if (!meta.TryGetValue("format", out var format) || format != Format)
                throw Fail(path, $"not a Tensorlet checkpoint (format '{format ?? "missing"}', expected '{Format}')");
            if (!meta.TryGetValue(ChecksumKey, out var checksum))
                throw Fail(path, "the checksum entry 'sha256' is missing");
            if (!string.Equals(digest.Finish(meta), checksum, StringComparison.OrdinalIgnoreCase))
                throw Fail(path, "the SHA-256 checksum does not match the contents: the file is corrupted");
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Restores <paramref name="model"/> (and the optimizer and schedule, when given) from the checkpoint at
    /// <paramref name="path"/> and returns the rest of the run's state. Build them exactly as for the saved run; the
    /// optimizer's state and rate and the schedule's epoch come from the file.
    /// </summary>
    public static TrainingState Load(string path, Module model, Optimizer? optimizer = null, LRSchedule? schedule = null)
    {
        using var file = ReadVerified(path);
        var meta = file.Metadata;

        var modelState = new Dictionary<string, Tensor>();
        var optimizerState = new Dictionary<string, Tensor>();
        foreach (var (name, t) in file.Tensors)
        {
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal)) modelState[name[ModelPrefix.Length..]] = t;
            else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizerState[name[OptimizerPrefix.Length..]] = t;
            else throw Fail(path, $"tensor '{name}' belongs to neither the model nor the optimizer");
        }

        // Check everything before changing anything.
        var state = ReadTrainingState(path, meta);
        try { model.CheckStateDict(modelState); }
        catch (InvalidDataException ex) { throw Fail(path, ex.Message, ex); }
        long stepCount = 0;
        long[] parameterSteps = [];
        float lr = 0;
        if (optimizer != null)
        {
            CheckType(path, meta, "optimizer", optimizer.GetType().Name);
            (stepCount, parameterSteps, lr) = ReadOptimizerNumbers(path, meta);
            var problems = optimizer.StateProblems(optimizerState, stepCount, parameterSteps);
            if (problems.Count > 0)
                throw Fail(path, $"optimizer state does not fit this {optimizer.GetType().Name}:\n  " + string.Join("\n  ", problems));
        }
        int lastEpoch = 0;
        float baseLr = 0;
        if (schedule != null)
        {
            CheckType(path, meta, "schedule", schedule.GetType().Name);
            (lastEpoch, baseLr) = ReadScheduleNumbers(path, meta);
        }

        // Everything fits: from here on nothing throws for a reason the file could cause.
        model.LoadStateDict(modelState);
        if (optimizer != null)
        {
            optimizer.LoadState(optimizerState, stepCount, parameterSteps);
            optimizer.LearningRate = lr;
        }
        schedule?.LoadState(lastEpoch, baseLr);
        return state;
    }

    private static TrainingState ReadTrainingState(string path, IReadOnlyDictionary<string, string> meta)
    {
        var state = new TrainingState
        {
            Epoch = Long(path, meta, "epoch", 0, int.MaxValue),
            Step = Long(path, meta, "step", 0, long.MaxValue),
        };
        foreach (var (key, value) in meta)
        {
            if (key.StartsWith("rng.", StringComparison.Ordinal)) state.Generators[key[4..]] = ParseWords(path, key, value);
            else if (key.StartsWith("loader.", StringComparison.Ordinal))
                state.Loaders[key[7..]] = value.Length == 0 ? [] : value.Split(';').Select(s => ParseWords(path, key, s)).ToArray();
            else if (key.StartsWith("user.", StringComparison.Ordinal)) state.Metadata[key[5..]] = value;
        }
        return state;
    }

    private static void CheckType(string path, IReadOnlyDictionary<string, string> meta, string what, string expected)
    {
        if (!meta.TryGetValue(what + ".type", out var saved))
            throw Fail(path, $"it holds no {what} state, but a {expected} was given to restore");
        if (saved != expected) throw Fail(path, $"it holds {what} state of a {saved}, not a {expected}");
    }

    private static string Entry(string path, IReadOnlyDictionary<string, string> meta, string key) =>
        meta.TryGetValue(key, out var v) ? v : throw Fail(path, $"metadata entry '{key}' is missing");

    private static long Long(string path, IReadOnlyDictionary<string, string> meta, string key, long min, long max) =>
        Long(path, key, Entry(path, meta, key), min, max);

    private static long Long(string path, string key, string text, long min, long max)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            throw Fail(path, $"metadata entry '{key}' holds '{text}', expected an integer");
        if (v < min || v > max) throw Fail(path, $"metadata entry '{key}' holds {v}, outside [{min}, {max}]");
        return v;
    }

    /// <summary>A learning rate: a finite, non-negative number.</summary>
    private static float Rate(string path, IReadOnlyDictionary<string, string> meta, string key)
    {
        string text = Entry(path, meta, key);
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
            throw Fail(path, $"metadata entry '{key}' holds '{text}', expected a number");
        if (!(v >= 0) || float.IsInfinity(v)) throw Fail(path, $"metadata entry '{key}' holds {text}, expected a finite non-negative rate");
        return v;
    }

    private static ulong[] ParseWords(string path, string key, string text) => text.Length == 0 ? [] :
        text.Split(',').Select(w => ulong.TryParse(w, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong v)
            ? v : throw Fail(path, $"metadata entry '{key}' holds '{text}', expected comma-separated hexadecimal words")).ToArray();

    private static string Words(ulong[] words) => string.Join(",", words.Select(w => w.ToString("x16", CultureInfo.InvariantCulture)));
    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Text(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static InvalidDataException Fail(string path, string message, Exception? inner = null) =>
        new($"{path}: cannot load checkpoint: {message}", inner);

    /// <summary>SHA-256 over tensors (name, shape, bytes, in data order) and the sorted metadata, the checksum excluded.</summary>
    private sealed class Digest : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void AddTensor(string name, ReadOnlySpan<int> shape, ReadOnlySpan<byte> bytes)
        {
            AddText($"tensor\0{name}\0{string.Join(",", shape.ToArray())}\0{bytes.Length}\0");
            _hash.AppendData(bytes);
        }

        public string Finish(IReadOnlyDictionary<string, string> meta)
        {
            foreach (var key in meta.Keys.Where(k => k != ChecksumKey).Order(StringComparer.Ordinal))
                AddText($"meta\0{key}\0{meta[key]}\0");
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        private void AddText(string text) => _hash.AppendData(Encoding.UTF8.GetBytes(text));

        public void Dispose() => _hash.Dispose();
    }
}
