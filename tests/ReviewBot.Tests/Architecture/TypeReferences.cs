using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ReviewBot.Tests.Architecture;

/// <summary>A type as the architecture tests see it: a nested type (a lambda's closure, an async state machine, a
/// nested record) stands for its outermost declaring type.</summary>
internal readonly record struct TypeKey(string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}.{Name}";
}

/// <summary>
/// Every reference the types of one compiled assembly make to other types, read from metadata and IL, not from source
/// text: base types, interfaces, generic constraints, field, property, event and method signatures, locals, catch
/// clauses, custom attributes (their type and their <c>typeof</c> arguments) and every type, field, method and
/// signature token in method bodies (a member counts for its declaring type, a generic instantiation for each
/// argument). Both ends are <see cref="TypeKey"/>s; a type's references to itself are left out.
/// </summary>
internal sealed class TypeReferences : ISignatureTypeProvider<IEnumerable<TypeKey>, object?>, ICustomAttributeTypeProvider<IEnumerable<TypeKey>>
{
    private static readonly TypeKey SystemType = new("System", "Type");
    private readonly PEReader _pe;
    private readonly MetadataReader _reader;

    private TypeReferences(PEReader pe)
    {
        _pe = pe;
        _reader = pe.GetMetadataReader();
    }

    public static IReadOnlySet<(TypeKey From, TypeKey To)> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var references = new TypeReferences(pe);
        var found = new HashSet<(TypeKey, TypeKey)>();
        foreach (var handle in references._reader.TypeDefinitions)
        {
            var from = references.Outermost(handle);
            foreach (var to in references.Of(references._reader.GetTypeDefinition(handle)))
                if (to != from) found.Add((from, to));
        }
        return found;
    }

    private List<TypeKey> Of(TypeDefinition type)
    {
        var found = new List<TypeKey>();
        if (!type.BaseType.IsNil) found.AddRange(Types(type.BaseType));
        foreach (var i in type.GetInterfaceImplementations()) found.AddRange(Types(_reader.GetInterfaceImplementation(i).Interface));
        found.AddRange(Constraints(type.GetGenericParameters()));
        found.AddRange(Attributes(type.GetCustomAttributes()));
        foreach (var handle in type.GetFields())
        {
            var field = _reader.GetFieldDefinition(handle);
            found.AddRange(field.DecodeSignature(this, null));
            found.AddRange(Attributes(field.GetCustomAttributes()));
        }
        foreach (var handle in type.GetProperties())
        {
            var property = _reader.GetPropertyDefinition(handle);
            found.AddRange(Signature(property.DecodeSignature(this, null)));
            found.AddRange(Attributes(property.GetCustomAttributes()));
        }
        foreach (var handle in type.GetEvents())
        {
            var e = _reader.GetEventDefinition(handle);
            found.AddRange(Types(e.Type));
            found.AddRange(Attributes(e.GetCustomAttributes()));
        }
        foreach (var handle in type.GetMethods())
        {
            var method = _reader.GetMethodDefinition(handle);
            found.AddRange(Signature(method.DecodeSignature(this, null)));
            found.AddRange(Constraints(method.GetGenericParameters()));
            found.AddRange(Attributes(method.GetCustomAttributes()));
            foreach (var p in method.GetParameters()) found.AddRange(Attributes(_reader.GetParameter(p).GetCustomAttributes()));
            if (method.RelativeVirtualAddress != 0) found.AddRange(Body(_pe.GetMethodBody(method.RelativeVirtualAddress)));
        }
        return found;
    }

    private IEnumerable<TypeKey> Body(MethodBodyBlock body)
    {
        var locals = body.LocalSignature.IsNil ? [] : _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null).SelectMany(t => t);
        var caught = body.ExceptionRegions.Where(r => !r.CatchType.IsNil).SelectMany(r => Types(r.CatchType));
        var tokens = Il.Read(body).Where(i => !i.Token.IsNil).SelectMany(i => Types(i.Token));
        return locals.Concat(caught).Concat(tokens);
    }

    /// <summary>The types a type, member or signature token names.</summary>
    private IEnumerable<TypeKey> Types(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => [Outermost((TypeDefinitionHandle)handle)],
        HandleKind.TypeReference => [Outermost((TypeReferenceHandle)handle)],
        HandleKind.TypeSpecification => _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
        HandleKind.FieldDefinition => [Outermost(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())],
        HandleKind.MethodDefinition => [Outermost(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())],
        HandleKind.MemberReference => Types(_reader.GetMemberReference((MemberReferenceHandle)handle).Parent),
        HandleKind.MethodSpecification => MethodSpecification((MethodSpecificationHandle)handle),
        HandleKind.StandaloneSignature => StandaloneSignature((StandaloneSignatureHandle)handle),
        _ => [], // a module reference: the parent of a P/Invoke
    };

    private IEnumerable<TypeKey> MethodSpecification(MethodSpecificationHandle handle)
    {
        var spec = _reader.GetMethodSpecification(handle);
        return Types(spec.Method).Concat(spec.DecodeSignature(this, null).SelectMany(t => t));
    }

    private IEnumerable<TypeKey> StandaloneSignature(StandaloneSignatureHandle handle)
    {
        var signature = _reader.GetStandaloneSignature(handle);
        return signature.GetKind() == StandaloneSignatureKind.Method
            ? Signature(signature.DecodeMethodSignature(this, null))
            : signature.DecodeLocalSignature(this, null).SelectMany(t => t);
    }

    private IEnumerable<TypeKey> Constraints(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(p => _reader.GetGenericParameter(p).GetConstraints())
            .SelectMany(c => Types(_reader.GetGenericParameterConstraint(c).Type));

    private IEnumerable<TypeKey> Attributes(CustomAttributeHandleCollection attributes)
    {
        foreach (var handle in attributes)
        {
            var attribute = _reader.GetCustomAttribute(handle);
            foreach (var t in Types(attribute.Constructor)) yield return t;
            var value = attribute.DecodeValue(this);
            foreach (var t in value.FixedArguments.Concat(value.NamedArguments.Select(n => new CustomAttributeTypedArgument<IEnumerable<TypeKey>>(n.Type, n.Value))).SelectMany(Argument))
                yield return t;
        }
    }

    /// <summary>An attribute argument's type and, for <c>typeof(X)</c> arguments (alone or in arrays), X.</summary>
    private static IEnumerable<TypeKey> Argument(CustomAttributeTypedArgument<IEnumerable<TypeKey>> argument) => argument.Value switch
    {
        IEnumerable<TypeKey> type => argument.Type.Concat(type),
        ImmutableArray<CustomAttributeTypedArgument<IEnumerable<TypeKey>>> array => argument.Type.Concat(array.SelectMany(Argument)),
        _ => argument.Type,
    };

    private static IEnumerable<TypeKey> Signature(MethodSignature<IEnumerable<TypeKey>> signature) =>
        signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(t => t));

    private TypeKey Outermost(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        while (!type.GetDeclaringType().IsNil) type = _reader.GetTypeDefinition(type.GetDeclaringType());
        return new TypeKey(_reader.GetString(type.Namespace), _reader.GetString(type.Name));
    }

    private TypeKey Outermost(TypeReferenceHandle handle)
    {
        var type = _reader.GetTypeReference(handle);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference) type = _reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        return new TypeKey(_reader.GetString(type.Namespace), _reader.GetString(type.Name));
    }

    /// <summary>A type named in an attribute blob (a <c>typeof</c> argument), with its generic arguments.</summary>
    private static IEnumerable<TypeKey> Serialized(TypeName name)
    {
        if (name.IsConstructedGenericType) return Serialized(name.GetGenericTypeDefinition()).Concat(name.GetGenericArguments().SelectMany(Serialized));
        if (name.IsArray || name.IsPointer || name.IsByRef) return Serialized(name.GetElementType());
        while (name.IsNested) name = name.DeclaringType;
        var dot = name.FullName.LastIndexOf('.');
        return [new TypeKey(dot < 0 ? "" : name.FullName[..dot], name.FullName[(dot + 1)..])];
    }

    // Signature decoding: a signature's types are the types it names; primitives and generic parameters name none.
    public IEnumerable<TypeKey> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
    public IEnumerable<TypeKey> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [Outermost(handle)];
    public IEnumerable<TypeKey> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [Outermost(handle)];
    public IEnumerable<TypeKey> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => Types(handle);
    public IEnumerable<TypeKey> GetSZArrayType(IEnumerable<TypeKey> elementType) => elementType;
    public IEnumerable<TypeKey> GetArrayType(IEnumerable<TypeKey> elementType, ArrayShape shape) => elementType;
    public IEnumerable<TypeKey> GetByReferenceType(IEnumerable<TypeKey> elementType) => elementType;
    public IEnumerable<TypeKey> GetPointerType(IEnumerable<TypeKey> elementType) => elementType;
    public IEnumerable<TypeKey> GetPinnedType(IEnumerable<TypeKey> elementType) => elementType;
    public IEnumerable<TypeKey> GetModifiedType(IEnumerable<TypeKey> modifier, IEnumerable<TypeKey> unmodifiedType, bool isRequired) => unmodifiedType;
    public IEnumerable<TypeKey> GetGenericInstantiation(IEnumerable<TypeKey> genericType, ImmutableArray<IEnumerable<TypeKey>> typeArguments) =>
        genericType.Concat(typeArguments.SelectMany(t => t));
    public IEnumerable<TypeKey> GetGenericMethodParameter(object? genericContext, int index) => [];
    public IEnumerable<TypeKey> GetGenericTypeParameter(object? genericContext, int index) => [];
    public IEnumerable<TypeKey> GetFunctionPointerType(MethodSignature<IEnumerable<TypeKey>> signature) => Signature(signature);

    // Attribute blobs: System.Type arguments arrive as serialized names.
    public IEnumerable<TypeKey> GetSystemType() => [SystemType];
    public bool IsSystemType(IEnumerable<TypeKey> type) => type.SequenceEqual([SystemType]);
    public IEnumerable<TypeKey> GetTypeFromSerializedName(string name) => Serialized(TypeName.Parse(name));
    /// <summary>Enum arguments are read as int: every enum used in an attribute here (ours and the framework's) is.</summary>
    public PrimitiveTypeCode GetUnderlyingEnumType(IEnumerable<TypeKey> type) => PrimitiveTypeCode.Int32;
}
