using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ReviewBot.Tests.Architecture;

/// <summary>The calls one compiled assembly makes to its own methods, read from IL: (calling type, called method as
/// <c>Namespace.Type.Method</c>). The calling type is the outermost one, so a call in a lambda or an async method
/// counts for the type that wrote it.</summary>
internal static class MethodCalls
{
    public static IReadOnlySet<(TypeKey Caller, string Callee)> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var calls = new HashSet<(TypeKey, string)>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var caller = Outermost(reader, typeHandle);
            foreach (var methodHandle in reader.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                foreach (var i in Il.Read(pe.GetMethodBody(method.RelativeVirtualAddress)))
                    if (i.Code == OpCodes.Call || i.Code == OpCodes.Callvirt || i.Code == OpCodes.Ldftn || i.Code == OpCodes.Ldvirtftn)
                        if (i.Token.Kind == HandleKind.MethodDefinition)
                        {
                            var callee = reader.GetMethodDefinition((MethodDefinitionHandle)i.Token);
                            calls.Add((caller, $"{Outermost(reader, callee.GetDeclaringType())}.{reader.GetString(callee.Name)}"));
                        }
            }
        }
        return calls;
    }

    private static TypeKey Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (!type.GetDeclaringType().IsNil) type = reader.GetTypeDefinition(type.GetDeclaringType());
        return new TypeKey(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }
}
