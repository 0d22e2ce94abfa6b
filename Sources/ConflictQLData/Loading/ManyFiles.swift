// Many files as one table: `load "data/conflict_data_*.csv" as sahel` (a glob) or
// `load ["mli.csv", "bfa.csv"] as sahel`. The files load in parallel, each as it would alone,
// then their columns are appended by name as `union` appends them, with a first column
// naming each row's file. A column whose types disagree between files becomes what one file
// holding all the rows would have made it: Float for Int with Float, otherwise String, read
// again as text from the files that typed it otherwise (so no value is re-spelled). A column
// empty in one file takes the type the others give it.

import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether `path` is a pattern (`*`, `?` or `[`) rather than one file's name.
public func isFilePattern(_ path: String) -> Bool {
    path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
}

/// `[path]` when a file of that very name exists (a name may hold a wildcard character).
package func expandFilePattern(literal path: String) -> [String]? {
    access(path, F_OK) == 0 ? [path] : nil
}

/// The files a pattern names, sorted; a path that is not a pattern names itself.
public func expandFilePattern(_ pattern: String) throws(LoadError) -> [String] {
    // A file whose name has a wildcard character in it is that file.
    guard isFilePattern(pattern), expandFilePattern(literal: pattern) == nil else { return [pattern] }
    var found = glob_t()
    defer { globfree(&found) }
    // GLOB_MARK ends a directory's name with '/', so a pattern matching one can say so.
    let status = glob(pattern, GLOB_MARK, nil, &found)
    let folder = pattern.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let folderName = folder.isEmpty ? "the current folder" : "folder '\(folder)'"
    if status == GLOB_NOMATCH || (status == 0 && found.gl_pathc == 0) {
        throw LoadError(.noFileMatches(folderName), path: pattern)
    }
    guard status == 0 else {
        throw LoadError(.cannotListFiles(folderName, String(cString: strerror(errno))), path: pattern)
    }
    var paths: [String] = []
    for i in 0..<Int(found.gl_pathc) {
        guard let name = found.gl_pathv[i] else { continue }
        let path = String(cString: name)
        if path.hasSuffix("/") {
            throw LoadError(.patternMatchesFolder(path.dropLast()), path: pattern)
        }
        paths.append(path)
    }
    return paths
}

/// A table name for a pattern: its file name up to the first wildcard, `conflict_data` for
/// `data/conflict_data_*.csv`; nil when nothing is left.
package func tableName(forPattern pattern: String) -> String? {
    let file = pattern.split(separator: "/").last.map(String.init) ?? pattern
    let literal = file.prefix { $0 != "*" && $0 != "?" && $0 != "[" }
    let trimmed = literal.split(separator: ".").first.map(String.init) ?? ""
    let name = String(trimmed.reversed().drop { $0 == "_" || $0 == "-" || $0 == " " }.reversed())
    return name.isEmpty ? nil : ConflictQLData.tableName(forPath: name)
}

/// Loads every file of `patterns` (globs or paths) as one table, the first column (named
/// `options.sourceColumn`) holding each row's file as matched.
public func loadTables(patterns: [String], options: LoadOptions = LoadOptions(), progress: LoadProgress? = nil)
    throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    var expanded: [String] = []
    for pattern in patterns { expanded += try expandFilePattern(pattern) }
    let paths = expanded
    let sourceColumn = options.sourceColumn ?? "file"
    // The files at once, each with a share of the cores (one each when there are more files
    // than cores), and one progress for all of them.
    let cores = max(1, options.threads ?? System.coreCount)
    let workers = min(cores, paths.count)
    var perFile = options
    perFile.threads = max(1, cores / max(1, workers))
    let sizes = paths.map { path -> Int in
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
    let totalBytes = sizes.reduce(0, +)
    let done = ProgressTotals(files: paths.count)
    @Sendable func load(_ index: Int, _ fileOptions: LoadOptions) -> Result<(Table, LoadReport), LoadError> {
        var report: LoadProgress? = nil
        if let progress {
            report = { @Sendable (bytes: Int, _: Int, rows: Int) in
                let (sum, count) = done.update(index, bytes: bytes, rows: rows)
                progress(sum, totalBytes, count)
            }
        }
        do throws(LoadError) {
            let loaded = try loadTable(path: paths[index], options: fileOptions, progress: report)
            // A small file reports no progress of its own: it counts once it is done.
            if let progress {
                let (sum, count) = done.update(index, bytes: sizes[index], rows: loaded.1.rows)
                progress(sum, totalBytes, count)
            }
            return .success(loaded)
        } catch { return .failure(error) }
    }
    let fileOptions = perFile
    var results = inParallel(paths.count, workers: workers) { load($0, fileOptions) }
    var tables: [Table] = []
    var reports: [LoadReport] = []
    for result in results {
        switch result {
        case .success(let (table, report)): tables.append(table); reports.append(report)
        case .failure(let error): throw error
        }
    }
    results = []

    // The columns by name, in the order the files bring them, and the type of each: what
    // the files that hold a value in it agree on.
    var names: [String] = [], types: [String: DataType] = [:], clashes: Set<String> = []
    var firstType: [String: (type: DataType, file: Int)] = [:]
    var notes: [String] = []
    for (file, table) in tables.enumerated() {
        for (field, column) in zip(table.schema.fields, table.columns) {
            if field.name == sourceColumn {
                throw LoadError(.sourceColumnClash(sourceColumn), path: paths[file])
            }
            if types[field.name] == nil { names.append(field.name); types[field.name] = .null }
            if column.nullCount == column.count && column.count > 0 { continue }
            let before = types[field.name]!
            if let common = DataType.common(before, field.type) {
                types[field.name] = common
                if firstType[field.name] == nil { firstType[field.name] = (field.type, file) }
            } else {
                let first = firstType[field.name]!
                notes.append("'\(field.name)' is String: \(first.type) in \(paths[first.file]), \(field.type) in \(paths[file])")
                types[field.name] = .string
                clashes.insert(field.name)
            }
        }
    }
    guard names.count < LoadLimits.maximumColumns else {
        throw LoadError(.filesHaveTooManyColumns(LoadLimits.maximumColumns - 1), path: patterns.joined(separator: ", "))
    }
    // Files that typed a clashing column otherwise read it again, as text.
    if !clashes.isEmpty {
        let again = tables.indices.filter { file in
            zip(tables[file].schema.fields, tables[file].columns).contains { clashes.contains($0.name) && $0.type != .string && $1.nullCount < $1.count }
        }
        var asText = perFile
        for name in clashes where options.types[name] == nil { asText.types[name] = .string }
        let textOptions = asText
        let reloaded = inParallel(again.count, workers: min(cores, again.count)) { load(again[$0], textOptions) }
        for (file, result) in zip(again, reloaded) {
            switch result {
            case .success(let (table, _)): tables[file] = table
            case .failure(let error): throw error
            }
        }
    }
    let rowCount = tables.reduce(0) { $0 + $1.rowCount }
    guard rowCount <= Int(Int32.max) else {
        throw LoadError(.filesHaveTooManyRows(rowCount, Int32.max), path: patterns.joined(separator: ", "))
    }

    // Column by column, letting go of each file's part once it is copied.
    var fields = [Field(sourceColumn, .string)]
    var columns = [fileColumn(paths, tables.map(\.rowCount))]
    for name in names {
        let type = types[name]!
        let parts = tables.indices.map { file -> (column: Column?, count: Int) in
            (tables[file].schema.index(of: name).map { tables[file].columns[$0] }, tables[file].rowCount)
        }
        for file in tables.indices {
            if let index = tables[file].schema.index(of: name) {
                tables[file].columns[index] = Column(type: tables[file].columns[index].type, storage: .null, validity: nil, count: tables[file].rowCount)
            }
        }
        // A column of nulls in every file stays String, as the loader types an empty column.
        // Its HXL hashtag is the first file's that has one.
        let hashtag = tables.lazy.compactMap { $0.schema.fields.first { $0.name == name }?.hashtag }.first
        fields.append(Field(name, type == .null ? .string : type, hashtag: hashtag))
        columns.append(Column.concatenate(parts, type: type == .null ? .string : type))
    }
    var report = LoadReport(rows: rowCount, columns: fields.count, bytes: reports.reduce(0) { $0 + $1.bytes },
                            skippedRows: reports.reduce(0) { $0 + $1.skippedRows },
                            skipped: Array(zip(paths, reports).flatMap { path, r in r.skipped.map { (line: $0.line, problem: "\(path): \($0.problem)") } }.prefix(5)),
                            seconds: monotonicNow() - started)
    report.files = paths.count
    report.hashtagLine = reports.lazy.compactMap(\.hashtagLine).first
    report.notes = notes + zip(paths, reports).flatMap { path, r in
        r.typeChanges.map { "\(path): '\($0.column)' is \($0.loaded), not \($0.sampled) (line \($0.line))" }
    }
    return (Table(schema: Schema(fields), columns: columns, rowCount: rowCount), report)
}

/// Each row's file: one dictionary entry per file.
private func fileColumn(_ paths: [String], _ counts: [Int]) -> Column {
    var codes = StringCodeBuilder()
    codes.reserveCapacity(counts.reduce(0, +))
    for (index, count) in counts.enumerated() {
        for _ in 0..<count { codes.append(Int32(index)) }
    }
    return Column(type: .string, storage: .string(codes: codes.finish(),
        dictionary: StringDictionary(paths)), validity: nil, count: codes.count)
}

/// Bytes and rows done so far, per file, for one progress over all of them.
private final class ProgressTotals: Sendable {
    let state: Mutex<(bytes: [Int], rows: [Int])>

    init(files: Int) { state = Mutex(([Int](repeating: 0, count: files), [Int](repeating: 0, count: files))) }

    func update(_ file: Int, bytes: Int, rows: Int) -> (bytes: Int, rows: Int) {
        state.withLock { state in
            state.bytes[file] = bytes
            state.rows[file] = rows
            return (state.bytes.reduce(0, +), state.rows.reduce(0, +))
        }
    }
}

/// One slot per task, each written by one thread only.
private final class Slots<T>: @unchecked Sendable {
    let items: UnsafeMutablePointer<T?>
    let count: Int

    init(_ count: Int) {
        self.count = count
        items = .allocate(capacity: max(1, count))
        items.initialize(repeating: nil, count: max(1, count))
    }

    deinit {
        items.deinitialize(count: max(1, count))
        items.deallocate()
    }
}

/// `body(i)` for every i below `count`, at most `workers` at a time, results in order.
private func inParallel<T>(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(count)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            (slots.items + i).pointee = body(i)
        }
    }
    return (0..<count).map { slots.items[$0]! }
}
