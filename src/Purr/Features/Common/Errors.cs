using Purr.Core.Formats;

namespace Purr.Features.Common;

/// <summary>Input was rejected as a whole: every problem is listed, nothing was written. CLI exit code 2.</summary>
public sealed class RejectedInputException(IReadOnlyList<InputError> errors)
    : Exception($"rejected: {errors.Count} problem(s); first: {errors.FirstOrDefault()}")
{
    public IReadOnlyList<InputError> Errors { get; } = errors;

    /// <summary>A single located problem that is not tied to a file (a command argument).</summary>
    public static RejectedInputException Argument(string name, string? raw, string expected) => new([ArgumentError(name, raw, expected)]);

    /// <summary>The error of <see cref="Argument"/>, for a handler that collects it with others.</summary>
    public static InputError ArgumentError(string name, string? raw, string expected) => new("(command)", 0, name, raw, expected);
}

/// <summary>Something named by the user does not exist (exit code 2).</summary>
public sealed class NotFoundException(string what) : Exception(what);
