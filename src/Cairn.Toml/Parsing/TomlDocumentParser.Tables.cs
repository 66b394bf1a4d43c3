using System.Globalization;

namespace Cairn.Toml.Parsing;

/// <summary>
/// TOML's rules for defining and extending tables: a table is defined once; headers may pass through implicit,
/// header-defined and dotted tables; dotted keys may only extend tables they (or headers' implicit parents)
/// created; inline tables and value arrays are closed for good.
/// </summary>
internal sealed partial class TomlDocumentParser
{
    private TomlTable DefineTable(List<TomlKeySegment> key)
    {
        TomlTable parent = WalkHeaderParents(key);
        TomlKeySegment last = key[^1];
        if (!parent.TryGetValue(last.Name, out TomlNode? existing))
        {
            var table = new TomlTable(last.Position, TomlTableOrigin.Header);
            parent.Add(last.Name, table);
            return table;
        }
        if (existing is TomlTable { Origin: TomlTableOrigin.Implicit } implicitTable)
        {
            implicitTable.Origin = TomlTableOrigin.Header;
            implicitTable.Position = last.Position;
            return implicitTable;
        }
        throw Conflict(key, existing, "cannot define table [{0}]");
    }

    private TomlTable DefineArrayOfTablesElement(List<TomlKeySegment> key)
    {
        TomlTable parent = WalkHeaderParents(key);
        TomlKeySegment last = key[^1];
        var element = new TomlTable(last.Position, TomlTableOrigin.Header);
        if (!parent.TryGetValue(last.Name, out TomlNode? existing))
        {
            var array = new TomlArray(last.Position, isArrayOfTables: true);
            array.Add(element);
            parent.Add(last.Name, array);
            return element;
        }
        if (existing is TomlArray { IsArrayOfTables: true } tables)
        {
            tables.Add(element);
            return element;
        }
        throw Conflict(key, existing, "cannot append a table to [[{0}]]");
    }

    /// <summary>Walks to the parent of a header's last key, creating implicit tables on the way.</summary>
    private TomlTable WalkHeaderParents(List<TomlKeySegment> key)
    {
        TomlTable table = root;
        for (int i = 0; i < key.Count - 1; i++)
        {
            TomlKeySegment segment = key[i];
            if (!table.TryGetValue(segment.Name, out TomlNode? existing))
            {
                var created = new TomlTable(segment.Position, TomlTableOrigin.Implicit);
                table.Add(segment.Name, created);
                table = created;
                continue;
            }
            table = existing switch
            {
                TomlTable { Origin: not TomlTableOrigin.Inline } child => child,
                TomlArray { IsArrayOfTables: true } tables => (TomlTable)tables[^1],
                _ => throw Conflict(key, i + 1, existing, "cannot define a table inside {0}"),
            };
        }
        return table;
    }

    /// <summary>Stores a key/value pair; a dotted key walks (and creates) dotted tables below <paramref name="table"/>.</summary>
    private void AssignKeyValue(TomlTable table, List<TomlKeySegment> key, TomlNode value)
    {
        for (int i = 0; i < key.Count - 1; i++)
        {
            TomlKeySegment segment = key[i];
            if (!table.TryGetValue(segment.Name, out TomlNode? existing))
            {
                var created = new TomlTable(segment.Position, TomlTableOrigin.Dotted);
                table.Add(segment.Name, created);
                table = created;
            }
            else if (existing is TomlTable { Origin: TomlTableOrigin.Implicit or TomlTableOrigin.Dotted } child)
            {
                // Extending an implicit table with a dotted key defines it; no header may define it again.
                child.Origin = TomlTableOrigin.Dotted;
                table = child;
            }
            else
            {
                throw Conflict(key, i + 1, existing, "cannot add keys to {0} with a dotted key");
            }
        }
        TomlKeySegment last = key[^1];
        if (table.TryGetValue(last.Name, out TomlNode? duplicate))
        {
            throw Conflict(key, duplicate, "duplicate key {0}");
        }
        table.Add(last.Name, value);
    }

    /// <summary>Marks an inline table and the dotted tables inside it as closed once its <c>}</c> is read.</summary>
    private static void CloseInlineTable(TomlTable table)
    {
        table.Origin = TomlTableOrigin.Inline;
        foreach (KeyValuePair<string, TomlNode> entry in table)
        {
            if (entry.Value is TomlTable { Origin: TomlTableOrigin.Dotted } child)
            {
                CloseInlineTable(child);
            }
        }
    }

    private TomlParseException Conflict(List<TomlKeySegment> key, TomlNode existing, string problemFormat) =>
        Conflict(key, key.Count, existing, problemFormat);

    /// <summary>An error at the key's segment: <paramref name="problemFormat"/> ({0} = the key) and what the key already is.</summary>
    private TomlParseException Conflict(List<TomlKeySegment> key, int keyLength, TomlNode existing, string problemFormat)
    {
        string what = existing switch
        {
            TomlTable { Origin: TomlTableOrigin.Header } => "a table (by a [table] header)",
            TomlTable { Origin: TomlTableOrigin.Dotted } => "a table (by dotted keys)",
            TomlTable { Origin: TomlTableOrigin.Inline } => "an inline table, and inline tables cannot be extended",
            TomlTable => "a table",
            TomlArray { IsArrayOfTables: true } => "an array of tables",
            TomlArray => "an array value, and only [[...]] arrays can be appended to",
            TomlValue { Kind: TomlValueKind.Integer or TomlValueKind.OffsetDateTime } => $"an {existing.TypeName}",
            _ => $"a {existing.TypeName}",
        };
        string problem = string.Format(CultureInfo.InvariantCulture, problemFormat, FormatKeyPath(key, keyLength));
        return new TomlParseException(key[keyLength - 1].Position, $"{problem}: it is already defined at line {existing.Line} as {what}");
    }
}
