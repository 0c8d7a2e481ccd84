import Testing
@testable import MutualAid

@Suite("TOML parser")
struct TOMLParserTests {
    /// Parses `text`, failing the test with the parser's message if it throws.
    private func parse(_ text: String, file: String? = nil) throws -> TOMLTable {
        try TOMLParser.parse(text, file: file)
    }

    /// The error thrown for `text`, or `nil` if it parsed.
    private func failure(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryValueType() throws {
        let table = try parse("""
            name = "职工互助 2026"
            literal = 'C:\\plans\\no escapes'
            year = 2026
            ratio = 0.15
            active = true
            retired = false
            starts = 2026-01-01
            list = [1, "two", 3.5, false, 2026-12-31]
            inline = { a = 1, b = "x" }
            """)
        #expect(table["name"]?.content == .string("职工互助 2026"))
        #expect(table["literal"]?.content == .string("C:\\plans\\no escapes"))
        #expect(table["year"]?.content == .integer(2026))
        #expect(table["ratio"]?.content == .decimal("0.15"))
        #expect(table["active"]?.content == .bool(true))
        #expect(table["retired"]?.content == .bool(false))
        #expect(table["starts"]?.content == .date("2026-01-01"))
        #expect(table["list"]?.content == .array([
            TOMLValue(.integer(1), line: 8), TOMLValue(.string("two"), line: 8),
            TOMLValue(.decimal("3.5"), line: 8), TOMLValue(.bool(false), line: 8),
            TOMLValue(.date("2026-12-31"), line: 8),
        ]))
        guard case .table(let inline)? = table["inline"]?.content else {
            Issue.record("inline is not a table")
            return
        }
        #expect(inline.keys == ["a", "b"])
        #expect(inline["b"]?.content == .string("x"))
        #expect(table.keys == ["name", "literal", "year", "ratio", "active", "retired", "starts", "list", "inline"])
    }

    @Test func recordsTheLineOfEachValue() throws {
        let table = try parse("# plan\n\nyear = 2026\n\n[contribution]\nrate = 0.01\n")
        #expect(table["year"]?.line == 3)
        #expect(table["contribution"]?.line == 5)
        guard case .table(let contribution)? = table["contribution"]?.content else {
            Issue.record("contribution is not a table")
            return
        }
        #expect(contribution["rate"]?.line == 6)
        #expect(contribution.line == 5)
    }

    @Test func keepsDecimalsExactAsWritten() throws {
        let table = try parse("""
            a = 0.15
            b = 1234.50
            c = -0.10
            d = +3.0
            e = 1_000.000_1
            f = 0.1000000000000000055511151231257827
            """)
        #expect(table["a"]?.content == .decimal("0.15"))
        #expect(table["b"]?.content == .decimal("1234.50"))
        #expect(table["c"]?.content == .decimal("-0.10"))
        #expect(table["d"]?.content == .decimal("3.0"))
        #expect(table["e"]?.content == .decimal("1000.0001"))
        #expect(table["f"]?.content == .decimal("0.1000000000000000055511151231257827"))
    }

    @Test func parsesIntegersWithSignsAndUnderscores() throws {
        let table = try parse("""
            a = 1_000_000
            b = -42
            c = +7
            d = 0
            max = 9223372036854775807
            min = -9223372036854775808
            """)
        #expect(table["a"]?.content == .integer(1_000_000))
        #expect(table["b"]?.content == .integer(-42))
        #expect(table["c"]?.content == .integer(7))
        #expect(table["d"]?.content == .integer(0))
        #expect(table["max"]?.content == .integer(.max))
        #expect(table["min"]?.content == .integer(.min))
    }

    @Test func decodesStringEscapes() throws {
        let table = try parse(#"""
            s = "quote \" backslash \\ newline \n tab \t u \u5F20 U \U0001F600"
            """#)
        #expect(table["s"]?.content == .string("quote \" backslash \\ newline \n tab \t u 张 U 😀"))
    }

    @Test func parsesMultilineStrings() throws {
        let table = try parse(#"""
            basic = """
            第一行
            second "quoted" line \
                  joined"""
            literal = '''
            raw \n stays'''
            quotes = """two quotes at end"""""
            """#)
        #expect(table["basic"]?.content == .string("第一行\nsecond \"quoted\" line joined"))
        #expect(table["literal"]?.content == .string("raw \\n stays"))
        #expect(table["quotes"]?.content == .string("two quotes at end\"\""))
    }

    @Test func parsesTablesDottedAndQuotedKeys() throws {
        let table = try parse("""
            plan.name = "A"
            plan.code = "A1"
            "地区 代码" = "110105"

            [contribution]
            rate = 0.01

            [contribution.cap]
            monthly = 300

            [a.b.c]
            deep = true
            """)
        guard case .table(let plan)? = table["plan"]?.content,
              case .table(let contribution)? = table["contribution"]?.content,
              case .table(let cap)? = contribution["cap"]?.content,
              case .table(let a)? = table["a"]?.content,
              case .table(let b)? = a["b"]?.content,
              case .table(let c)? = b["c"]?.content
        else {
            Issue.record("tables missing: \(table.keys)")
            return
        }
        #expect(plan.keys == ["name", "code"])
        #expect(table["地区 代码"]?.content == .string("110105"))
        #expect(contribution["rate"]?.content == .decimal("0.01"))
        #expect(cap["monthly"]?.content == .integer(300))
        #expect(c["deep"]?.content == .bool(true))
        #expect(cap.line == 8)
    }

    @Test func allowsDefiningAnImpliedParentTableOnce() throws {
        let table = try parse("[a.b]\nx = 1\n[a]\ny = 2\n")
        guard case .table(let a)? = table["a"]?.content else {
            Issue.record("a is not a table")
            return
        }
        #expect(a.keys == ["b", "y"])
        #expect(a.line == 3)
    }

    @Test func parsesArraysOfTablesWithSubTables() throws {
        let table = try parse("""
            [[benefits]]
            kind = "inpatient"
            ratio = 0.5

            [benefits.cap]
            yearly = 20000

            [[benefits]]
            kind = "outpatient"
            ratio = 0.3
            """)
        guard case .array(let items)? = table["benefits"]?.content else {
            Issue.record("benefits is not an array")
            return
        }
        #expect(items.count == 2)
        #expect(items.map(\.line) == [1, 8])
        guard case .table(let first) = items[0].content, case .table(let second) = items[1].content,
              case .table(let cap)? = first["cap"]?.content else {
            Issue.record("elements are not tables")
            return
        }
        #expect(first["kind"]?.content == .string("inpatient"))
        #expect(cap["yearly"]?.content == .integer(20000))
        #expect(second["ratio"]?.content == .decimal("0.3"))
        #expect(second["cap"] == nil)
    }

    @Test func parsesArraysSpanningLinesWithCommentsAndTrailingComma() throws {
        let table = try parse("""
            tiers = [
              1000,   # first
              2000.5,
              [3, 4],
              { limit = 5 },
            ]
            empty = []
            next = 1
            """)
        guard case .array(let tiers)? = table["tiers"]?.content else {
            Issue.record("tiers is not an array")
            return
        }
        #expect(tiers.count == 4)
        #expect(tiers[1].content == .decimal("2000.5"))
        #expect(tiers[1].line == 3)
        #expect(table["empty"]?.content == .array([]))
        #expect(table["next"]?.line == 8)
    }

    @Test func validatesDates() throws {
        #expect(try parse("d = 2024-02-29")["d"]?.content == .date("2024-02-29"))
        #expect(failure("d = 2023-02-29")?.message == "2023-02-29 is not a real date: month 2 of 2023 has 28 days")
        #expect(failure("d = 2026-13-01")?.message == "2026-13-01 is not a real date: there is no month 13")
        #expect(failure("d = 2026-01-01T08:00:00")?.message.contains("time of day") == true)
        #expect(failure("d = 2026-01-01 08:00:00")?.message.contains("time of day") == true)
    }

    // MARK: Errors

    @Test func reportsMissingEqualsWithLineAndColumn() {
        let error = failure("name = \"A\"\n\n[contribution]\n        ratio 0.15\n")
        #expect(error?.line == 4)
        #expect(error?.column == 15)
        #expect(error?.description == "line 4, column 15: expected '=' after key \"ratio\", found '0'")
    }

    @Test func countsColumnsInCharactersNotBytes() {
        #expect(failure("名称 = 1")?.message.hasPrefix("expected a key") == true)
        let second = failure("\"名称\" = \"互助\" x")
        #expect(second?.column == 13)
        #expect(second?.message == "expected the end of the line after the value of \"名称\", found 'x'")
    }

    @Test func includesTheFileNameWhenGiven() {
        do {
            _ = try TOMLParser.parse("a = ", file: "plans/2026.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "plans/2026.toml: line 1, column 5: expected a value for key \"a\", found the end of the file")
        }
    }

    @Test func rejectsDuplicateKeysNamingTheFirstLine() {
        let error = failure("a = 1\nb = 2\na = 3\n")
        #expect(error?.line == 3)
        #expect(error?.message == "key \"a\" is defined twice; it was first defined on line 1")
        let nested = failure("[t]\nx.y = 1\nx.y = 2\n")
        #expect(nested?.message == "key \"t.x.y\" is defined twice; it was first defined on line 2")
        let inline = failure("t = { a = 1, a = 2 }")
        #expect(inline?.message == "key \"a\" is defined twice; it was first defined on line 1")
    }

    @Test func rejectsRedefinedTables() {
        let twice = failure("[a]\nx = 1\n\n[a]\ny = 2\n")
        #expect(twice?.line == 4)
        #expect(twice?.message == "table [a] is defined twice; it was first defined on line 1")
        #expect(failure("[a]\nb.c = 1\n[a.b]\n")?.message.contains("already defined with dotted keys on line 2") == true)
        #expect(failure("[[a]]\n[a]\n")?.message == "[a] conflicts with the array of tables [[a]] defined on line 1")
        #expect(failure("[a]\n[[a]]\n")?.message == "cannot define [[a]] because a is already a table (line 1)")
        #expect(failure("a = { x = 1 }\n[a]\n")?.message.contains("inline table") == true)
        #expect(failure("a = 1\n[a.b]\n")?.message == "cannot use a as a table in [a.b] because it already holds the integer 1 (line 1)")
        #expect(failure("a = [1]\n[[a]]\n") != nil)
        #expect(failure("[a.b]\n[a]\nb.c = 1\n")?.message.contains("defined by a header") == true)
    }

    @Test func rejectsInexactAndUnsupportedNumbers() {
        #expect(failure("x = 1e3")?.message.contains("exponents are not allowed") == true)
        #expect(failure("x = 1.5E-2")?.message.contains("exponents are not allowed") == true)
        #expect(failure("x = inf")?.message == "inf is not allowed: plan numbers must be exact, finite decimals")
        #expect(failure("x = -nan")?.message == "-nan is not allowed: plan numbers must be exact, finite decimals")
        #expect(failure("x = 0x1F")?.message.contains("hexadecimal") == true)
        #expect(failure("x = 0123")?.message == "0123: leading zeros are not allowed")
        #expect(failure("x = 1__0")?.message.contains("is not a valid number") == true)
        #expect(failure("x = 1.")?.message.contains("is not a valid number") == true)
        #expect(failure("x = 1.2.3")?.message.contains("is not a valid number") == true)
        #expect(failure("x = 9223372036854775808")?.message.contains("does not fit in a 64-bit integer") == true)
        #expect(failure("x = -9223372036854775809")?.message.contains("does not fit in a 64-bit integer") == true)
    }

    @Test func reportsMalformedStringsAndStructures() {
        #expect(failure("name = Plan A")?.message == "expected a value for key \"name\", found the bare word Plan; text must be in quotes, e.g. \"Plan\"")
        let unterminated = failure("a = 1\nname = \"abc\nb = 2")
        #expect(unterminated?.line == 2)
        #expect(unterminated?.message.contains("not closed before the end of the line") == true)
        let array = failure("a = [1, 2,\n\nb = 3")
        #expect(array?.line == 3)
        #expect(failure("a = [1 2]")?.message == "expected ',' or ']' after an array element, found '2'")
        let openArray = failure("a = [1,\n 2")
        #expect(openArray?.line == 1)
        #expect(openArray?.column == 5)
        #expect(openArray?.message == "this array is never closed with ']'")
        #expect(failure(#"a = "bad \q escape""#)?.message == #"\q is not a valid escape sequence; write \\ for a backslash"#)
        #expect(failure(#"a = "\uD800""#)?.message.contains("not a valid Unicode character") == true)
        #expect(failure("[a\nx = 1")?.message == "expected ']' to close the table header [a], found the end of the line")
        #expect(failure("a = 1 b = 2")?.message == "expected the end of the line after the value of \"a\", found 'b'")
        #expect(failure("a = 1\rb = 2")?.message.contains("carriage return") == true)
        #expect(failure("= 1")?.message.contains("expected a key") == true)
    }

    @Test func acceptsCRLFAndByteOrderMark() throws {
        let table = try parse("\u{FEFF}a = 1\r\n[t]\r\nb = \"x\"\r\n")
        #expect(table["a"]?.content == .integer(1))
        guard case .table(let t)? = table["t"]?.content else {
            Issue.record("t is not a table")
            return
        }
        #expect(t["b"]?.line == 3)
    }
}

@Suite("TOML reader")
struct TOMLReaderTests {
    private let plan = """
        name = "市总工会职工医疗互助 2026"
        year = 2026
        starts = 2026-01-01

        [contribution]
        amount = 30
        ratio = 0.15

        [[benefits]]
        kind = "inpatient"
        ratio = 0.5

        [[benefits]]
        kind = "outpatient"
        ratio = "15"
        ratoi = 0.15
        """

    private func reader() throws -> TOMLReader {
        TOMLReader(try TOMLParser.parse(plan, file: "plans/2026.toml"), file: "plans/2026.toml")
    }

    private func fieldError(_ body: (TOMLReader) throws(TOMLFieldError) -> Void) throws -> TOMLFieldError? {
        let root = try reader()
        do {
            try body(root)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTypedValues() throws {
        let root = try reader()
        #expect(try root.string("name") == "市总工会职工医疗互助 2026")
        #expect(try root.integer("year") == 2026)
        #expect(try root.date("starts") == "2026-01-01")
        let contribution = try root.table("contribution")
        #expect(contribution.path == "contribution")
        #expect(try contribution.decimal("ratio") == "0.15")
        #expect(try contribution.decimal("amount") == "30")
        #expect(try root.optionalInteger("missing") == nil)
        #expect(try root.optionalDecimal("missing") == nil)
        #expect(try root.optionalArrayOfTables("missing").isEmpty)
        let benefits = try root.arrayOfTables("benefits")
        #expect(benefits.map(\.path) == ["benefits[1]", "benefits[2]"])
        #expect(try benefits[0].decimal("ratio") == "0.5")
    }

    @Test func reportsTheWrongTypeWithFileLineAndPath() throws {
        let error = try fieldError { root throws(TOMLFieldError) in
            _ = try root.arrayOfTables("benefits")[1].decimal("ratio")
        }
        #expect(error?.description
            == "plans/2026.toml:15: benefits[2].ratio: expected a decimal such as 0.15, found the string \"15\"")
        let integer = try fieldError { root throws(TOMLFieldError) in
            _ = try root.table("contribution").integer("ratio")
        }
        #expect(integer?.description
            == "plans/2026.toml:7: contribution.ratio: expected a whole number such as 12, found the decimal 0.15")
        let table = try fieldError { root throws(TOMLFieldError) in _ = try root.table("year") }
        #expect(table?.description
            == "plans/2026.toml:2: year: expected a table such as [year], found the integer 2026")
        let optional = try fieldError { root throws(TOMLFieldError) in _ = try root.optionalString("year") }
        #expect(optional?.message == "expected a string in quotes, found the integer 2026")
    }

    @Test func reportsMissingKeysAtTheTable() throws {
        let error = try fieldError { root throws(TOMLFieldError) in
            _ = try root.table("contribution").decimal("cap")
        }
        #expect(error?.description == "plans/2026.toml:5: contribution.cap: this required key is missing from [contribution]")
        let top = try fieldError { root throws(TOMLFieldError) in _ = try root.string("code") }
        #expect(top?.description == "plans/2026.toml:1: code: this required key is missing from the top level of the file")
    }

    @Test func rejectsUnknownKeysWithASuggestion() throws {
        let error = try fieldError { root throws(TOMLFieldError) in
            for benefit in try root.arrayOfTables("benefits") {
                try benefit.rejectUnknownKeys(allowed: ["kind", "ratio", "cap"])
            }
        }
        #expect(error?.description == "plans/2026.toml:16: benefits[2].ratoi: unknown key; did you mean ratio?")
        let listed = try fieldError { root throws(TOMLFieldError) in
            try root.rejectUnknownKeys(allowed: ["name", "year", "starts", "benefits"])
        }
        #expect(listed?.description
            == "plans/2026.toml:5: contribution: unknown key; expected one of benefits, name, starts, year")
        try reader().rejectUnknownKeys(allowed: ["name", "year", "starts", "contribution", "benefits"])
    }

    @Test func readsStringArraysAndQuotesOddKeys() throws {
        let root = TOMLReader(try TOMLParser.parse("""
            hospitals = ["协和", "301"]
            bad = ["a", 2]
            [regions."北京 市"]
            code = 110000
            """))
        #expect(try root.strings("hospitals") == ["协和", "301"])
        do {
            _ = try root.strings("bad")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "line 2: bad[2]: expected a string in quotes, found the integer 2")
        }
        let region = try root.table("regions").table("北京 市")
        #expect(region.path == "regions.\"北京 市\"")
        do {
            _ = try region.string("code")
            Issue.record("expected an error")
        } catch {
            #expect(error.description
                == "line 4: regions.\"北京 市\".code: expected a string in quotes, found the integer 110000")
        }
    }
}
