using System.Globalization;
using System.Text;

namespace Cairn.Server.Gateway;

/// <summary>
/// The syntax errors Go's <c>encoding/json</c> reports for a request body (grpc-gateway passes them to the client
/// verbatim, e.g. <c>invalid character 'b' looking for beginning of object key string</c>): the same scan, the
/// same wording, the same first offending character. Only consulted once a body failed to parse, so it is off the
/// request path of good requests.
/// </summary>
public static class GoJsonSyntax
{
    /// <summary>
    /// Go's message for the first syntax error in <paramref name="json"/>, or null when the text is valid JSON or a
    /// valid beginning of it that is cut short (Go then says <c>unexpected EOF</c>, which the caller decides).
    /// </summary>
    public static string? FindError(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var scanner = new Scanner(json);
        scanner.Value();
        return scanner.Error;
    }

    /// <summary>Go's quoteChar: the offending character in single quotes, escaped as strconv.Quote does.</summary>
    public static string QuoteChar(char c) => c switch
    {
        '\'' => "'\\''",
        '"' => "'\"'",
        '\\' => "'\\\\'",
        '\a' => "'\\a'",
        '\b' => "'\\b'",
        '\f' => "'\\f'",
        '\n' => "'\\n'",
        '\r' => "'\\r'",
        '\t' => "'\\t'",
        '\v' => "'\\v'",
        < ' ' or '\u007f' => string.Create(CultureInfo.InvariantCulture, $"'\\x{(int)c:x2}'"),
        _ => $"'{c}'",
    };

    /// <summary>A recursive-descent scan; every method returns false once it stopped (error, or the text ended).</summary>
    private sealed class Scanner(string text)
    {
        /// <summary>
        /// Nesting deeper than this is refused with Go's "exceeded max depth" rather than risking the stack of a
        /// request thread. Go's own limit is 10,000; etcd requests never nest beyond a handful of levels, and the
        /// protobuf parser has already refused such a body (its recursion limit is 100) before this scan runs.
        /// </summary>
        private const int MaxDepth = 1_000;

        private int position;
        private int depth;

        public string? Error { get; private set; }

        private bool AtEnd => position >= text.Length;

        public bool Value()
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return false;
            }

            char c = text[position];
            return c switch
            {
                '{' => Container(Object),
                '[' => Container(Array),
                '"' => String(),
                '-' or (>= '0' and <= '9') => Number(),
                't' => Literal("true"),
                'f' => Literal("false"),
                'n' => Literal("null"),
                _ => Fail(c, "looking for beginning of value"),
            };
        }

        private bool Container(Func<bool> body)
        {
            if (++depth > MaxDepth)
            {
                Error = "exceeded max depth";
                return false;
            }

            bool completed = body();
            depth--;
            return completed;
        }

        private bool Object()
        {
            position++;
            SkipWhitespace();
            if (!AtEnd && text[position] == '}')
            {
                position++;
                return true;
            }

            while (true)
            {
                if (AtEnd)
                {
                    return false;
                }

                if (text[position] != '"')
                {
                    return Fail(text[position], "looking for beginning of object key string");
                }

                if (!String() || !Expect(':', "after object key") || !Value())
                {
                    return false;
                }

                SkipWhitespace();
                if (AtEnd)
                {
                    return false;
                }

                char c = text[position++];
                if (c == '}')
                {
                    return true;
                }

                if (c != ',')
                {
                    position--;
                    return Fail(c, "after object key:value pair");
                }

                SkipWhitespace();
            }
        }

        private bool Array()
        {
            position++;
            SkipWhitespace();
            if (!AtEnd && text[position] == ']')
            {
                position++;
                return true;
            }

            while (true)
            {
                if (!Value())
                {
                    return false;
                }

                SkipWhitespace();
                if (AtEnd)
                {
                    return false;
                }

                char c = text[position++];
                if (c == ']')
                {
                    return true;
                }

                if (c != ',')
                {
                    return Fail(c, "after array element");
                }
            }
        }

        private bool Expect(char expected, string context)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return false;
            }

            if (text[position] != expected)
            {
                return Fail(text[position], context);
            }

            position++;
            return true;
        }

        private bool String()
        {
            position++;
            while (!AtEnd)
            {
                char c = text[position++];
                if (c == '"')
                {
                    return true;
                }

                if (c == '\\')
                {
                    if (!Escape())
                    {
                        return false;
                    }
                }
                else if (c < ' ')
                {
                    return Fail(c, "in string literal");
                }
            }

            return false;
        }

        private bool Escape()
        {
            if (AtEnd)
            {
                return false;
            }

            char c = text[position++];
            if (c is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
            {
                return true;
            }

            if (c != 'u')
            {
                return Fail(c, "in string escape code");
            }

            for (int i = 0; i < 4; i++)
            {
                if (AtEnd)
                {
                    return false;
                }

                char hex = text[position++];
                if (!char.IsAsciiHexDigit(hex))
                {
                    return Fail(hex, "in \\u hexadecimal character escape");
                }
            }

            return true;
        }

        private bool Number()
        {
            if (text[position] == '-')
            {
                position++;
                if (AtEnd)
                {
                    return false;
                }

                if (!char.IsAsciiDigit(text[position]))
                {
                    return Fail(text[position], "in numeric literal");
                }
            }

            // A leading zero ends the integer part (Go's state0); otherwise digits continue (state1).
            if (text[position++] != '0')
            {
                SkipDigits();
            }

            if (!AtEnd && text[position] == '.')
            {
                position++;
                if (!Digits("after decimal point in numeric literal"))
                {
                    return false;
                }
            }

            if (!AtEnd && text[position] is 'e' or 'E')
            {
                position++;
                if (!AtEnd && text[position] is '+' or '-')
                {
                    position++;
                }

                return Digits("in exponent of numeric literal");
            }

            return true;
        }

        /// <summary>At least one digit, then any more.</summary>
        private bool Digits(string context)
        {
            if (AtEnd)
            {
                return false;
            }

            if (!char.IsAsciiDigit(text[position]))
            {
                return Fail(text[position], context);
            }

            SkipDigits();
            return true;
        }

        private void SkipDigits()
        {
            while (!AtEnd && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
        }

        private bool Literal(string word)
        {
            position++;
            for (int i = 1; i < word.Length; i++)
            {
                if (AtEnd)
                {
                    return false;
                }

                char c = text[position];
                if (c != word[i])
                {
                    return Fail(c, $"in literal {word} (expecting {QuoteChar(word[i])})");
                }

                position++;
            }

            return true;
        }

        private void SkipWhitespace()
        {
            while (!AtEnd && text[position] is ' ' or '\t' or '\r' or '\n')
            {
                position++;
            }
        }

        private bool Fail(char c, string context)
        {
            Error = new StringBuilder("invalid character ").Append(QuoteChar(c)).Append(' ').Append(context).ToString();
            return false;
        }
    }
}
