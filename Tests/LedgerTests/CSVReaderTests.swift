#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Ledger

/// A directory under /tmp that is removed when the test ends.
private final class CSVScratchDirectory {
    let path: String

    init() {
        var template = Array("/tmp/huzhu-csv-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit {
        for name in ["input.csv"] { unlink(path + "/" + name) }
        rmdir(path)
    }

    /// Writes `bytes` to `input.csv` and returns its path.
    func write(_ bytes: [UInt8]) -> String {
        let file = path + "/input.csv"
        let handle = fopen(file, "wb")!
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
        return file
    }
}

/// Converts with the C library's iconv directly, independently of `TextEncoding`,
/// so the GB18030 test does not only check the code against itself.
private func iconvGB18030(_ text: String) -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")!
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 8)
    let written = input.withUnsafeMutableBytes { inRaw in
        output.withUnsafeMutableBytes { outRaw in
            var inPointer: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outPointer: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            var outLeft = outRaw.count
            _ = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
            return outRaw.count - outLeft
        }
    }
    return Array(output.prefix(written))
}

private func rows(_ text: String, hasHeader: Bool = true) throws -> [CSVRow] {
    try CSVReader(string: text, hasHeader: hasHeader).readAll()
}

private func csvFailure(_ text: String, hasHeader: Bool = true) -> CSVError? {
    do {
        _ = try CSVReader(string: text, hasHeader: hasHeader, name: "members.csv").readAll()
        return nil
    } catch {
        return error
    }
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func mapsHeaderNamesAndNumbersRows() throws {
        let reader = try CSVReader(string: "member,amount\nA001,30.00\nA002,45.50\n")
        #expect(reader.header?.names == ["member", "amount"])
        let all = try reader.readAll()
        #expect(all.map(\.fields) == [["A001", "30.00"], ["A002", "45.50"]])
        #expect(all.map(\.row) == [2, 3])
        #expect(all.map(\.line) == [2, 3])
        #expect(all[1]["amount"] == "45.50")
        #expect(all[1]["missing"] == nil)
        #expect(all[0][0] == "A001")
        #expect(throws: CSVError(.missingColumn("bank"), row: 2, line: 2)) { try all[0].value("bank") }
    }

    @Test func handlesQuotesEmbeddedCommasAndLineBreaks() throws {
        let all = try rows("""
            name,note,amount
            "Li, Wei","said ""hi""\nthen left",1
            "",,"3"
            plain,"multi
            line
            note",4
            last,x,5
            """)
        #expect(all.map(\.fields) == [
            ["Li, Wei", "said \"hi\"\nthen left", "1"],
            ["", "", "3"],
            ["plain", "multi\nline\nnote", "4"],
            ["last", "x", "5"],
        ])
        #expect(all.map(\.row) == [2, 3, 4, 5])
        #expect(all.map(\.line) == [2, 4, 5, 8])
    }

    @Test func acceptsCRLFLoneCRAndMissingFinalNewline() throws {
        #expect(try rows("a,b\r\n1,2\r\n3,4").map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(try rows("a,b\r1,2\r3,4\r").map(\.fields) == [["1", "2"], ["3", "4"]])
        let quotedCRLF = try rows("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n")
        #expect(quotedCRLF.map(\.fields) == [["x\r\ny", "2"], ["3", "4"]])
        #expect(quotedCRLF.map(\.line) == [2, 4])
    }

    @Test func skipsBlankLinesButCountsThemAsRows() throws {
        let all = try rows("a,b\n1,2\n\n3,4\n\n")
        #expect(all.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(all.map(\.row) == [2, 4])
        #expect(try rows("a\n\"\"\n").map(\.fields) == [[""]])
    }

    @Test func readsWithoutAHeader() throws {
        let reader = try CSVReader(string: "1,2\n3,4\n", hasHeader: false)
        #expect(reader.header == nil)
        let all = try reader.readAll()
        #expect(all.map(\.row) == [1, 2])
        #expect(all[0]["a"] == nil)
    }

    @Test func stripsUTF8ByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("姓名,金额\n张三,12.50\n".utf8)
        let reader = try CSVReader(bytes: bytes)
        #expect(reader.encoding == .utf8)
        #expect(reader.header?.names == ["姓名", "金额"])
        #expect(try reader.next()?["姓名"] == "张三")
    }

    @Test func readsGB18030DetectedFromTheBytes() throws {
        let gb = iconvGB18030("姓名,单位\n张三,工会\n\"李,四\",𠀀€\n")
        // 张三 in GB18030, as `iconv -t GB18030` writes it.
        #expect(iconvGB18030("张三") == [0xD5, 0xC5, 0xC8, 0xFD])
        let reader = try CSVReader(bytes: gb)
        #expect(reader.encoding == .gb18030)
        #expect(reader.header?.names == ["姓名", "单位"])
        #expect(try reader.readAll().map(\.fields) == [["张三", "工会"], ["李,四", "𠀀€"]])
    }

    @Test func roundTripsGB18030ThroughTextEncoding() throws {
        let text = "张三,工会,𠀀 ¥ é"
        let encoded = try #require(TextEncoding.gb18030.encode(text))
        #expect(encoded == iconvGB18030(text))
        #expect(TextEncoding.detect(encoded) == .gb18030)
        #expect(TextEncoding.detect(Array(text.utf8)) == .utf8)
        #expect(TextEncoding.detect(Array("ascii only".utf8)) == .utf8)
        #expect(TextEncoding.gb18030.decode(encoded) == text)
        #expect(TextEncoding.utf8.decode(encoded) == nil)
        #expect(TextEncoding.gb18030.decode([0x81]) == nil)
    }

    @Test func detectsGB18030AppearingAfterAnASCIIChunk() throws {
        let directory = CSVScratchDirectory()
        var text = "id,name\n"
        for i in 0..<50 { text += "\(i),ascii\n" }
        text += "50,张三\n"
        let path = directory.write(iconvGB18030(text))
        let reader = try CSVReader(path: path, chunkSize: 64)
        #expect(reader.encoding == nil)
        let all = try reader.readAll()
        #expect(reader.encoding == .gb18030)
        #expect(all.last?.fields == ["50", "张三"])
    }

    @Test func detectsUTF8WhenTheFirstNonASCIICharacterStraddlesAChunk() throws {
        let directory = CSVScratchDirectory()
        for offset in 60...64 {
            // "id,name\n" is 8 bytes; pad so 张 (3 bytes in UTF-8) starts at `offset`.
            let text = "id,name\n1," + String(repeating: "a", count: offset - 10) + "张三\n"
            let reader = try CSVReader(path: directory.write(Array(text.utf8)), chunkSize: 64)
            #expect(try reader.readAll().last?.fields.last?.hasSuffix("张三") == true)
            #expect(reader.encoding == .utf8)
        }
    }

    @Test func parsesRecordsStraddlingChunkBoundaries() throws {
        var text = "名称,note,amount\r\n"
        for i in 0..<300 {
            text += "\"会员 \(i), 工会\",\"line one\r\nline \"\"two\"\"\",\(i).50\r\n"
        }
        let directory = CSVScratchDirectory()
        let path = directory.write(Array(text.utf8))
        let whole = try CSVReader(string: text).readAll()
        for chunkSize in [64, 67, 1 << 20] {
            let streamed = try CSVReader(path: path, chunkSize: chunkSize).readAll()
            #expect(streamed == whole)
        }
        #expect(whole.count == 300)
        #expect(whole[299].fields == ["会员 299, 工会", "line one\r\nline \"two\"", "299.50"])
        #expect(whole[299].row == 301)
        #expect(whole[299].line == 2 + 299 * 2)
    }

    // MARK: Errors

    @Test func reportsUnterminatedQuoteWithTheLineItStarts() {
        let error = csvFailure("a,b\n1,2\n3,\"never closed\n4,5\n")
        #expect(error == CSVError(.unterminatedQuote(startLine: 3), file: "members.csv", row: 3, line: 3))
        #expect(error?.description
            == "members.csv: row 3 (line 3): the quoted field that starts on line 3 is never closed, so the rest "
            + "of the file was read as one field; add the missing closing quote (\")")
    }

    @Test func reportsStrayQuotes() {
        #expect(csvFailure("a,b\n1,2\n3,4 \"inch\"\n")?.description
            == "members.csv: row 3 (line 3): field 2 contains a quote (\") but does not start with one; "
            + "quote the whole field and double the quotes inside it (\"\")")
        #expect(csvFailure("a,b\n\"x\"y,2\n")?.reason == .textAfterClosingQuote(field: 1))
    }

    @Test func reportsWrongFieldCountAndKeepsReading() throws {
        let reader = try CSVReader(string: "a,b,c\n1,2,3\n\"x\ny\",2\n7,8,9\n", name: "claims.csv")
        #expect(try reader.next()?.fields == ["1", "2", "3"])
        do {
            _ = try reader.next()
            Issue.record("expected a field count error")
        } catch {
            #expect(error.description == "claims.csv: row 3 (line 3): expected 3 fields to match the header, found 2")
        }
        let after = try reader.next()
        #expect(after?.fields == ["7", "8", "9"])
        #expect(after?.row == 4)
        #expect(after?.line == 5)
        #expect(try reader.next() == nil)
    }

    @Test func reportsBytesInvalidInTheForcedEncoding() throws {
        let bytes = Array("a,b\n1,2\n".utf8) + [0x33, 0x2C, 0xD5, 0xC5, 0x0A]
        let reader = try CSVReader(bytes: bytes, encoding: .utf8, name: "gb.csv")
        _ = try reader.next()
        #expect(throws: CSVError(.undecodableField(field: 2, encoding: .utf8), file: "gb.csv", row: 3, line: 3)) {
            try reader.next()
        }
        #expect(CSVError(.undecodableField(field: 2, encoding: .gb18030), row: 3, line: 3).description
            == "row 3 (line 3): field 2 is not valid GB18030 text; re-save the file as UTF-8 or GB18030")
    }

    @Test func rejectsBadHeaders() {
        #expect(csvFailure("")?.description
            == "members.csv: the file is empty, but a header row naming the columns was expected")
        #expect(csvFailure("a,,c\n")?.description == "members.csv: row 1 (line 1): column 2 of the header has no name")
        #expect(csvFailure("id,金额,金额\n")?.description
            == "members.csv: row 1 (line 1): columns 2 and 3 of the header are both named \"金额\"")
    }

    @Test func reportsFilesThatCannotBeOpened() {
        #expect(throws: CSVError(.cannotOpen("No such file or directory"), file: "/nonexistent/x.csv")) {
            try CSVReader(path: "/nonexistent/x.csv")
        }
    }

    @Test func streamsAHundredThousandRowFile() throws {
        let directory = CSVScratchDirectory()
        var text = "member_id,name,amount,date\n"
        text.reserveCapacity(4_000_000)
        for i in 1...100_000 {
            text += "M\(i),\"会员\(i), 工会\",\(i % 1000).\(i % 10)0,2026-01-\(i % 28 + 1)\n"
        }
        let path = directory.write(Array(text.utf8))
        let reader = try CSVReader(path: path)
        var count = 0
        var last: CSVRow?
        while let row = try reader.next() {
            count += 1
            last = row
        }
        #expect(count == 100_000)
        #expect(last?.fields == ["M100000", "会员100000, 工会", "0.00", "2026-01-13"])
        #expect(last?.row == 100_001)
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func quotesOnlyWhenNeeded() {
        #expect(CSVWriter.escape("plain 张三") == "plain 张三")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape("cr\r") == "\"cr\r\"")
        #expect(CSVWriter.escape("") == "")
        #expect(CSVWriter().row(["1", "x,y"]) == "1,\"x,y\"\r\n")
        #expect(CSVWriter(lineTerminator: "\n").row(["a"]) == "a\n")
    }

    @Test func roundTripsThroughTheReader() throws {
        let data = [["M1", "Li, \"Wei\"", "line\nbreak"], ["M2", "", "张三"]]
        let text = CSVWriter().document(header: ["id", "name", "note"], rows: data)
        #expect(try rows(text).map(\.fields) == data)
    }
}
