namespace System.Runtime.CompilerServices;

/// <summary>Marks a method the runtime calls when the assembly loads (in .NET 5 and later; the compiler needs the type).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class ModuleInitializerAttribute : Attribute
{
}
