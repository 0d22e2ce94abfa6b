// API responses: a JSON object whose records are an array inside it. The ACLED API answers
// `{"status":200,"success":true,"last_update":..,"count":2,"messages":[],"data":[{...}],
// "filename":..}` (apidocs.acleddata.com: the JSON response adds "status, count, last update,
// and more" around the data); UCDP's answers `{"TotalCount":..,"TotalPages":..,
// "PreviousPageUrl":"","NextPageUrl":"..","Result":[{...}]}` (the samples of its API help
// pages, ucdpapi.pcr.uu.se/Help/Api). Which array holds the records:
//
//   1. `records = "a.b"` names it: in each object the member `a`, in that the member `b`.
//   2. Otherwise the member `data` (ACLED) or `Result` (UCDP), which must be such an array.
//   3. Otherwise, in a file that is one object, the non-empty array of objects nearest its
//      top (a member, else a member of a member, ...; two equally near: an error asking for
//      `records`).
//   4. Otherwise the object is a record, and the file is read as one object per line.
//
// Responses saved one after another (pages of a paged API) are all read, by the same path.
// The records array of 1 and 2 goes straight into columns as it is parsed, as a file that is
// an array does; only the rest of the object is kept as values, for the checks and messages.

import ConflictQLCore
import ConflictQLSyntax

/// The API responses of a file, for the load's summary.
struct ResponsesRead {
    /// The path of the records array; nil when the file is records, not responses.
    var path: [String]?
    var count = 0
    /// How many records the first response says there are in all (UCDP's `TotalCount`).
    var declaredTotal: Int?
    var hasNextPage = false
}

/// Responses known by name: the key of their records, and keys that mark them.
let knownResponses: [(api: String, records: String, markers: [String])] = [
    ("ACLED", "data", ["status", "success", "last_update", "count", "messages", "filename"]),
    ("UCDP", "Result", ["TotalCount", "TotalPages", "PreviousPageUrl", "NextPageUrl"]),
]

extension JSONRecordReader {
    enum FirstObject {
        case record
        case response(path: [String])
    }

    /// A file that starts with `{`: API responses, or one object per line.
    mutating func readObjects() throws(JSONReadFailure) {
        let start = parser.position
        if let records = options.records {
            let path = records.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard path.count <= JSONParser.maximumDepth else {
                throw .response(JSONProblem(message: "records = \"…\" is deeper than \(JSONParser.maximumDepth) keys", offset: start))
            }
            responses.path = path
            try readResponses(path)
            return
        }
        let first: FirstObject
        do throws(JSONReadFailure) {
            first = try readFirstObject()
        } catch {
            // A lenient load of one object per line skips a first line that cannot be read.
            guard case .problem = error, options.lenient, rows == 0 else { throw error }
            parser.position = start
            try readLines()
            return
        }
        switch first {
        case .record:
            parser.position = start
            try readLines()
        case .response(let path):
            responses.path = path
            responses.count = 1
            parser.skipSpace()
            if parser.position < parser.bytes.count { try readResponses(path) }
        }
    }

    /// Every response from here to the end of the file, each with its records at `path`.
    mutating func readResponses(_ path: [String]) throws(JSONReadFailure) {
        repeat {
            guard parser.peek() == UInt8(ascii: "{") else {
                throw .response(JSONProblem(message: "expected another API response (an object) after the last", offset: parser.position))
            }
            try readResponse(path)
            responses.count += 1
            parser.skipSpace()
        } while parser.position < parser.bytes.count
    }

    /// The object at the parser, whose member `path[level]` holds the records, or leads to them.
    mutating func readResponse(_ path: [String], level: Int = 0) throws(JSONReadFailure) {
        let open = parser.position
        var keys: [String] = []
        var found = false
        var more = try enterObject()
        while more {
            let (key, offset) = try memberKey()
            keys.append(key)
            if key == path[level] {
                let named = path[...level].joined(separator: ".")
                if found {
                    throw .response(JSONProblem(message: "'\(named)' appears twice in the object", offset: offset))
                }
                found = true
                if level == path.count - 1 {
                    guard parser.peek() == UInt8(ascii: "[") else {
                        let value = try syntax { (parser: inout JSONParser) throws(JSONProblem) in try parser.parseValue(depth: level + 1) }
                        throw .response(JSONProblem(message: notRecords(named, value), offset: offset))
                    }
                    try readRecords(expected: "expected a record (an object) in the '\(named)' array")
                } else {
                    guard parser.peek() == UInt8(ascii: "{") else {
                        let value = try syntax { (parser: inout JSONParser) throws(JSONProblem) in try parser.parseValue(depth: level + 1) }
                        throw .response(JSONProblem(message: "'\(named)' is \(describeJSON(value)), not an object with the key '\(path[level + 1])'",
                                                    offset: offset))
                    }
                    try readResponse(path, level: level + 1)
                }
            } else {
                let value = try syntax { (parser: inout JSONParser) throws(JSONProblem) in try parser.parseValue(depth: level + 1) }
                if level == 0 && responses.count == 0 { notePaging(key, value) }
            }
            more = try afterMember()
        }
        guard found else {
            let within = level > 0 ? "'\(path[..<level].joined(separator: "."))'"
                : responses.count == 0 ? "the JSON object" : "response \(responses.count + 1) of the file"
            let suggestion = closestName(to: path[level], in: keys)
            throw .response(JSONProblem(
                message: "\(within) has no key '\(path[level])'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                    + " (\(keysText(keys)))",
                offset: open))
        }
    }

    /// The first object of the file: read as a response when it is one (rules 2 and 3).
    mutating func readFirstObject() throws(JSONReadFailure) -> FirstObject {
        let open = parser.position
        var members: [JSONField] = []
        var chosen: String?
        var more = try enterObject()
        while more {
            let (key, offset) = try memberKey()
            if knownResponses.contains(where: { $0.records == key }) && recordsArrayAhead() {
                if let chosen {
                    throw .response(JSONProblem(
                        message: chosen == key ? "'\(key)' appears twice in the object"
                            : "the JSON object has both a '\(chosen)' and a '\(key)' array; name the one to read: records = \"\(chosen)\"",
                        offset: offset))
                }
                chosen = key
                try readRecords(expected: "expected a record (an object) in the '\(key)' array")
            } else {
                let value = try syntax { (parser: inout JSONParser) throws(JSONProblem) in try parser.parseValue(depth: 1) }
                members.append(JSONField(key: key, value: value, offset: offset))
                notePaging(key, value)
            }
            more = try afterMember()
        }
        if let chosen { return .response(path: [chosen]) }
        for known in knownResponses {
            guard let member = members.last(where: { $0.key == known.records }) else { continue }
            throw .response(JSONProblem(message: notRecords(known.records, member.value) + failureDetail(members), offset: member.offset))
        }
        parser.skipSpace()
        let alone = parser.position >= parser.bytes.count
        guard alone else { return .record }
        let candidates = shallowestRecordArrays(members)
        if candidates.count > 1 {
            throw .response(JSONProblem(
                message: "the JSON object has \(candidates.count) arrays of records (\(candidates.prefix(5).map { "'\($0.path.joined(separator: "."))'" }.joined(separator: ", ")));"
                    + " name the one to read: records = \"\(candidates[0].path.joined(separator: "."))\"",
                offset: open))
        }
        if let only = candidates.first {
            for case .object(let fields) in only.items { try add(fields) }
            return .response(path: only.path)
        }
        for known in knownResponses {
            let marks = known.markers.filter { marker in members.contains { $0.key == marker } }
            guard marks.count >= 2 else { continue }
            throw .response(JSONProblem(
                message: "the JSON object looks like an \(known.api) API response (it has \(marks.prefix(3).map { "'\($0)'" }.joined(separator: ", ")))"
                    + " but has no '\(known.records)' array of records" + failureDetail(members),
                offset: open))
        }
        return .record
    }

    // MARK: Reading an object member by member

    /// Past the `{`; false when the object is empty (then past its `}` too).
    mutating func enterObject() throws(JSONReadFailure) -> Bool {
        try syntax { (parser: inout JSONParser) throws(JSONProblem) -> Bool in
            parser.position += 1
            parser.skipSpace()
            if parser.peek() == UInt8(ascii: "}") { parser.position += 1; return false }
            return true
        }
    }

    /// `"key":`, leaving the parser at the value; the key and where its value starts.
    mutating func memberKey() throws(JSONReadFailure) -> (String, Int) {
        try syntax { (parser: inout JSONParser) throws(JSONProblem) -> (String, Int) in
            parser.skipSpace()
            guard parser.peek() == UInt8(ascii: "\"") else { throw JSONProblem(message: "expected a key in quotes", offset: parser.position) }
            let key = try parser.parseString(what: "a key")
            parser.skipSpace()
            guard parser.peek() == UInt8(ascii: ":") else { throw JSONProblem(message: "expected ':' after a key", offset: parser.position) }
            parser.position += 1
            parser.skipSpace()
            return (key, parser.position)
        }
    }

    /// Past the `,` or the closing `}` after a member; false at the end of the object.
    mutating func afterMember() throws(JSONReadFailure) -> Bool {
        try syntax { (parser: inout JSONParser) throws(JSONProblem) -> Bool in
            parser.skipSpace()
            if parser.peek() == UInt8(ascii: ",") { parser.position += 1; return true }
            if parser.peek() == UInt8(ascii: "}") { parser.position += 1; return false }
            throw JSONProblem(message: "expected ',' or '}' in an object", offset: parser.position)
        }
    }

    /// Whether the value ahead is an array that is empty or starts with an object.
    func recordsArrayAhead() -> Bool {
        var i = parser.position
        guard i < parser.bytes.count, parser.bytes[i] == UInt8(ascii: "[") else { return false }
        i += 1
        while i < parser.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(parser.bytes[i]) { i += 1 }
        return i < parser.bytes.count && (parser.bytes[i] == UInt8(ascii: "{") || parser.bytes[i] == UInt8(ascii: "]"))
    }

    /// UCDP's count of all records and its link to the next page, from the first response.
    mutating func notePaging(_ key: String, _ value: JSONNode) {
        if key == "TotalCount", case .number(let spelling) = value, case .int(let total) = JSONNumber(spelling) {
            responses.declaredTotal = Int(total)
        }
        if key == "NextPageUrl", case .string(let url) = value, !url.isEmpty { responses.hasNextPage = true }
    }

    /// The summary's remarks: which array held the records, and whether the file holds fewer
    /// than the response counts (one page of several).
    func describingResponses(_ report: LoadReport) -> LoadReport {
        guard let path = responses.path?.joined(separator: ".") else { return report }
        var report = report
        report.remarks.append(responses.count == 1 ? "read the records of its '\(path)' array"
                                                   : "read the records of the '\(path)' arrays of \(responses.count) responses")
        if let total = responses.declaredTotal, total > rows {
            report.incompleteNote = "the response counts \(total) records in all (TotalCount) and the file holds \(rows):"
                + " the others are on further pages" + (responses.hasNextPage ? " (NextPageUrl)" : "")
        }
        return report
    }
}

/// The arrays of records nearest the top of an object (members first, then members of
/// members, at most 4 keys deep): several only when they are equally near.
func shallowestRecordArrays(_ members: [JSONField]) -> [(path: [String], items: [JSONNode])] {
    var level: [(path: [String], fields: [JSONField])] = [([], members)]
    for _ in 0..<4 {
        var found: [(path: [String], items: [JSONNode])] = []
        var next: [(path: [String], fields: [JSONField])] = []
        for (path, fields) in level {
            for field in fields {
                if isRecordArray(field.value), case .array(let items) = field.value { found.append((path + [field.key], items)) }
                if case .object(let inner) = field.value { next.append((path + [field.key], inner)) }
            }
        }
        if !found.isEmpty { return found }
        level = next
    }
    return []
}

/// An array holding at least one element, and only objects.
func isRecordArray(_ node: JSONNode) -> Bool {
    guard case .array(let items) = node, !items.isEmpty else { return false }
    return items.allSatisfy { if case .object = $0 { return true } else { return false } }
}

/// `'status' is a number, not an array of records`, with the way to an array inside an object.
func notRecords(_ named: String, _ value: JSONNode) -> String {
    var message = "'\(named)' is \(describeJSON(value)), not an array of records"
    if case .object(let fields) = value {
        let arrays = fields.filter { isRecordArray($0.value) }
        message += arrays.count == 1 ? "; did you mean records = \"\(named).\(arrays[0].key)\"?" : " (\(keysText(fields.map(\.key))))"
    }
    return message
}

/// What a JSON value is, in words: `a number`, `an array of strings`, `null`.
func describeJSON(_ node: JSONNode) -> String {
    switch node {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .object: return "an object"
    case .array(let items):
        let kinds = Set(items.map { item -> String in
            switch item {
            case .null: return "nulls"
            case .bool: return "booleans"
            case .number: return "numbers"
            case .string: return "strings"
            case .object: return "objects"
            case .array: return "arrays"
            }
        })
        if kinds.isEmpty { return "an empty array" }
        return kinds.count == 1 ? "an array of \(kinds.first!)" : "an array of mixed values"
    }
}

/// `its keys are 'status', 'data'` (at most 10 shown).
func keysText(_ keys: [String]) -> String {
    if keys.isEmpty { return "it has no keys" }
    let shown = keys.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
    return "its keys are " + shown + (keys.count > 10 ? " and \(keys.count - 10) more" : "")
}

/// `; the response says success: false: {"message":"..."}`, when it does.
func failureDetail(_ members: [JSONField]) -> String {
    guard members.contains(where: { if $0.key == "success", case .bool(false) = $0.value { return true } else { return false } }) else {
        return ""
    }
    var text = "; the response says success: false"
    if let detail = members.first(where: { ["error", "message", "messages"].contains($0.key) }) {
        let spelled = JSONTyping.text(detail.value)
        text += ", \(detail.key): " + (spelled.count > 120 ? String(spelled.prefix(120)) + "…" : spelled)
    }
    return text
}
