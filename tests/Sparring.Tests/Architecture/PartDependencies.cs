using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Sparring.Tests.Architecture;

/// <summary>
/// The dependencies between the parts of an assembly, read from its metadata and IL: every type a part's types
/// name in signatures, attributes and method bodies. A part is the namespace segment after <c>Sparring.</c>
/// (<c>Sparring.Grading.Internal.Canaries</c> is in part <c>Grading</c>); types in the root namespace belong to
/// <see cref="RootPart"/>.
/// </summary>
public sealed class PartDependencies
{
    public const string RootPart = "Internal";

    private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];
    private readonly List<string> _internalReachIns = [];

    private PartDependencies()
    {
    }

    /// <summary>Part → part, with a few "from type → to type" examples each, self-edges left out.</summary>
    public IReadOnlyDictionary<(string From, string To), SortedSet<string>> Edges => _edges;

    /// <summary>Uses of a <c>Sparring.X.Internal</c> namespace from outside part X ("from type → to type").</summary>
    public IReadOnlyList<string> InternalReachIns => _internalReachIns;

    /// <summary>The parts that declare at least one type.</summary>
    public SortedSet<string> Parts { get; } = new(StringComparer.Ordinal);

    /// <summary>The dependencies of the types of the assemblies at <paramref name="assemblyPaths"/>, taken together.</summary>
    public static PartDependencies Read(params string[] assemblyPaths)
    {
        var result = new PartDependencies();
        foreach (var assemblyPath in assemblyPaths)
        {
            using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
            foreach (var type in assembly.MainModule.GetTypes())
            {
                if (PartOf(OuterNamespace(type)) is not { } from)
                {
                    continue;
                }

                result.Parts.Add(from);
                foreach (var used in UsedTypes(type))
                {
                    result.Add(type, from, used);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Adds the <c>using Sparring.…;</c> directives of C# files (and their fully qualified <c>global using</c>s), so that
    /// a directive nothing uses yet still counts: the next line written under it would.
    /// </summary>
    public PartDependencies WithUsings(IEnumerable<string> sourceFiles)
    {
        foreach (var file in sourceFiles)
        {
            var text = File.ReadAllText(file);
            var declared = Regex.Match(text, @"^namespace\s+([\w.]+)", RegexOptions.Multiline);
            if (!declared.Success || PartOf(declared.Groups[1].Value) is not { } from)
            {
                continue;
            }

            foreach (Match directive in Regex.Matches(text, @"^(?:global\s+)?using\s+(?:static\s+)?(Sparring[\w.]*)\s*;", RegexOptions.Multiline))
            {
                var used = directive.Groups[1].Value;
                if (PartOf(used) is { } to)
                {
                    Note(from, to, used, $"{Path.GetFileName(file)}: using {used}");
                }
            }
        }

        return this;
    }

    /// <summary>The part of a namespace under <c>Sparring.</c>, or null outside it.</summary>
    public static string? PartOf(string ns) =>
        ns == "Sparring" ? RootPart
        : ns.StartsWith("Sparring.", StringComparison.Ordinal) ? ns["Sparring.".Length..].Split('.')[0]
        : null;

    private void Add(TypeDefinition fromType, string from, TypeReference used)
    {
        var element = used.GetElementType();
        if (element is GenericParameter)
        {
            return;
        }

        var toNamespace = OuterNamespace(element);
        if (PartOf(toNamespace) is not { } to)
        {
            return;
        }

        Note(from, to, toNamespace, $"{fromType.FullName} → {element.FullName}");
    }

    private void Note(string from, string to, string toNamespace, string example)
    {
        if (to != from)
        {
            if (!_edges.TryGetValue((from, to), out var examples))
            {
                _edges[(from, to)] = examples = new SortedSet<string>(StringComparer.Ordinal);
            }

            if (examples.Count < 3)
            {
                examples.Add(example);
            }
        }

        var isInternal = toNamespace.Split('.') is { Length: > 2 } segments && segments.Skip(2).Contains("Internal");
        if (isInternal && to != from && !_internalReachIns.Contains(example))
        {
            _internalReachIns.Add(example);
        }
    }

    private static string OuterNamespace(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private static List<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Walk(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Walk(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Walk(argument);
                    }

                    return;
                case TypeSpecification specification:
                    Walk(specification.ElementType);
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void Attributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Walk(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments)
                {
                    if (argument.Value is TypeReference typeArgument)
                    {
                        Walk(typeArgument);
                    }
                }
            }
        }

        void Method(MethodReference method)
        {
            Walk(method.DeclaringType);
            Walk(method.ReturnType);
            foreach (var parameter in method.Parameters)
            {
                Walk(parameter.ParameterType);
            }

            if (method is GenericInstanceMethod generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    Walk(argument);
                }
            }
        }

        Walk(type.BaseType);
        Attributes(type);
        foreach (var implemented in type.Interfaces)
        {
            Walk(implemented.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            Walk(field.FieldType);
            Attributes(field);
        }

        foreach (var property in type.Properties)
        {
            Walk(property.PropertyType);
            Attributes(property);
        }

        foreach (var method in type.Methods)
        {
            Method(method);
            Attributes(method);
            foreach (var parameter in method.Parameters)
            {
                Attributes(parameter);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                Walk(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operandType:
                        Walk(operandType);
                        break;
                    case MethodReference operandMethod:
                        Method(operandMethod);
                        break;
                    case FieldReference operandField:
                        Walk(operandField.DeclaringType);
                        Walk(operandField.FieldType);
                        break;
                }
            }

            foreach (var handler in method.Body.ExceptionHandlers)
            {
                Walk(handler.CatchType);
            }
        }

        return found;
    }
}
