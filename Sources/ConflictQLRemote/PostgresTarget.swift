// Where a PostgreSQL engine is and how to sign in, read as psql reads it: a URL
// (`postgres://user@host:5432/db?sslmode=require`) or libpq's `key=value` words
// (`host=/tmp/pg dbname=postgres user=postgres`), then the PG* variables for what neither
// says, then the password from PGPASSWORD or the password file (~/.pgpass, or PGPASSFILE).
// A host that starts with `/` is a folder holding the server's Unix socket, as in libpq.
//
// The password lives only here and in the connection: `display` (what `explain`, `tables`,
// errors and history show) never holds it, and neither does any error this file throws.

import ConflictQLCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// How TLS is used, as libpq's `sslmode` says.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// `disable`: never.
        case disable
        /// `allow` and `prefer` (libpq's default over TCP): when the server offers it, unverified.
        case prefer
        /// `require`: always, the certificate not verified unless a root certificate is given
        /// (then as verify-ca, as libpq does).
        case require
        /// `verify-ca`: always, the certificate verified against the root certificate
        /// (`sslrootcert`, else ~/.postgresql/root.crt; `sslrootcert=system` for the system's).
        case verifyCA = "verify-ca"
        /// `verify-full`: as verify-ca, and the host name checked against the certificate.
        case verifyFull = "verify-full"
    }

    /// The certificates a server's is verified against, as libpq finds them.
    public enum RootCertificates: Sendable, Equatable {
        /// A PEM file (`sslrootcert=FILE`, PGSSLROOTCERT, or ~/.postgresql/root.crt).
        case file(String)
        /// The system's trusted roots (`sslrootcert=system`).
        case system
        /// None was given and ~/.postgresql/root.crt does not exist.
        case missing(defaultPath: String)

        /// As a message names them.
        public var described: String {
            switch self {
            case .file(let path): "the root certificate \"\(path)\""
            case .system: "the system's trusted roots"
            case .missing(let path): "a root certificate (\"\(path)\" does not exist)"
            }
        }
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    public var rootCertificates: RootCertificates
    /// The client certificate and its private key (PEM files) shown to a server that asks
    /// for one, as libpq finds them: `sslcert`/`sslkey` (PGSSLCERT, PGSSLKEY), else
    /// ~/.postgresql/postgresql.crt and .key when the certificate exists. nil: none.
    public var clientCertificate: ClientCertificate?

    /// A client certificate's PEM file and its private key's.
    public struct ClientCertificate: Sendable, Equatable {
        public var certificate: String
        public var key: String
    }
    /// The password, for the connection only: `description` and `display` leave it out.
    public private(set) var password: String?
    /// What reading the settings noticed and psql would warn of (a password file others may
    /// read, ignored).
    public private(set) var warnings: [String] = []

    public var description: String { display }
    public var debugDescription: String { display }

    /// Whether `host` is a socket folder rather than a network host.
    public var isUnixSocket: Bool { host.hasPrefix("/") }
    /// The socket's path, as libpq names it: `FOLDER/.s.PGSQL.PORT`.
    public var socketPath: String { host + "/.s.PGSQL.\(port)" }

    /// The target as it may be shown anywhere: `postgres://user@host:port/db`, no password.
    public var display: String {
        let place = isUnixSocket ? "[\(host)]" : host
        return "postgres://\(user)@\(place)\(port == 5432 ? "" : ":\(port)")/\(database)"
    }

    /// The starts of the URLs it reads, as libpq's: what `--engine` completes in a shell.
    public static let urlSchemes = ["postgres://", "postgresql://"]

    /// Reads `text` (a URL or key=value words); `environment` stands for the process's (tests
    /// pass their own) and `home` for the folder holding `.pgpass`.
    public init(parsing text: String, environment: [String: String] = PostgresTarget.processEnvironment(),
                home: String? = nil) throws(RemoteError) {
        var settings: [String: String] = [:]
        let trimmed = String(text.drop { $0.isWhitespace })
        if PostgresTarget.urlSchemes.contains(where: { trimmed.hasPrefix($0) }) {
            settings = try PostgresTarget.urlSettings(trimmed)
        } else if trimmed.contains("=") {
            settings = try PostgresTarget.keywordSettings(trimmed)
        } else {
            throw RemoteError("'\(PostgresTarget.shortened(trimmed))' is not a PostgreSQL address",
                              help: "write postgres://USER@HOST/DATABASE, or key=value words as psql takes them (host=... dbname=...)")
        }
        for key in settings.keys where !PostgresTarget.keys.contains(key) {
            throw RemoteError("unknown connection setting '\(key)'",
                              help: "settings are \(PostgresTarget.keys.sorted().joined(separator: ", "))")
        }
        func setting(_ key: String, _ variable: String) -> String? {
            if let value = settings[key], !value.isEmpty { return value }
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }
        host = setting("host", "PGHOST") ?? "localhost"
        let portText = setting("port", "PGPORT") ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw RemoteError("the port '\(portText)' is not a number from 1 to 65535")
        }
        self.port = port
        user = setting("user", "PGUSER") ?? environment["USER"] ?? "postgres"
        database = setting("dbname", "PGDATABASE") ?? user
        let modeText = setting("sslmode", "PGSSLMODE") ?? "prefer"
        switch modeText {
        case "allow", "prefer": tls = .prefer
        default:
            guard let mode = TLSMode(rawValue: modeText) else {
                throw RemoteError("unknown sslmode '\(modeText)'",
                                  help: "sslmode is disable, allow, prefer, require, verify-ca or verify-full")
            }
            tls = mode
        }
        // Over a Unix socket there is no TLS, as in libpq.
        if host.hasPrefix("/") && tls == .prefer { tls = .disable }
        let home = home ?? environment["HOME"]
        if let root = setting("sslrootcert", "PGSSLROOTCERT") {
            rootCertificates = root == "system" ? .system : .file(root)
            // libpq: "if a root CA file exists, the behavior of sslmode=require will be the
            // same as that of verify-ca".
            if tls == .require { tls = .verifyCA }
        } else {
            let path = (home ?? "~") + "/.postgresql/root.crt"
            rootCertificates = access(path, R_OK) == 0 ? .file(path) : .missing(defaultPath: path)
            if tls == .require && access(path, R_OK) == 0 { tls = .verifyCA }
        }
        let certificate = setting("sslcert", "PGSSLCERT")
        let defaultCertificate = (home ?? "~") + "/.postgresql/postgresql.crt"
        if let path = certificate ?? (access(defaultCertificate, F_OK) == 0 ? defaultCertificate : nil) {
            let key = setting("sslkey", "PGSSLKEY") ?? (home ?? "~") + "/.postgresql/postgresql.key"
            clientCertificate = ClientCertificate(certificate: path, key: key)
        }
        password = settings["password"] ?? environment["PGPASSWORD"]
        if password == nil {
            let file = environment["PGPASSFILE"] ?? home.map { $0 + "/.pgpass" }
            if let file {
                switch PostgresTarget.passwordFile(at: file, host: host, port: port, database: database, user: user) {
                case .found(let found): password = found
                case .noMatch: break
                case .readableByOthers:
                    warnings.append("password file \"\(file)\" has group or world access; permissions should be u=rw (0600) or less"
                                    + " (it is ignored, as psql ignores it)")
                }
            }
        }
    }

    /// The settings this reader knows; anything else is an error rather than ignored.
    static let keys: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "sslcert", "sslkey"]

    public static func processEnvironment() -> [String: String] {
        var values: [String: String] = [:]
        var pointer = CLibrary.environment
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                values[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return values
    }

    /// `postgres://user:password@host:port/db?sslmode=...`, percent escapes decoded.
    static func urlSettings(_ text: String) throws(RemoteError) -> [String: String] {
        var rest = Substring(text[text.firstRange(of: "://")!.upperBound...])
        var settings: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                settings[try decoded(parts[0])] = parts.count > 1 ? try decoded(parts[1]) : ""
            }
            rest = rest[..<question]
        }
        if let slash = rest.firstIndex(of: "/") {
            let name = try decoded(rest[rest.index(after: slash)...])
            if !name.isEmpty { settings["dbname"] = name }
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            if let colon = credentials.firstIndex(of: ":") {
                settings["user"] = try decoded(credentials[..<colon])
                settings["password"] = try decoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                settings["user"] = try decoded(credentials)
            }
            rest = rest[rest.index(after: at)...]
        }
        if rest.hasPrefix("[") {
            // An IPv6 address, or (as written in `display`) a socket folder.
            guard let close = rest.firstIndex(of: "]") else { throw RemoteError("'[' in the address is not closed by ']'") }
            settings["host"] = try decoded(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { settings["port"] = String(rest.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            settings["host"] = try decoded(rest[..<colon])
            settings["port"] = String(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            settings["host"] = try decoded(rest)
        }
        return settings
    }

    /// `host=/tmp/pg dbname=postgres user='a b'`: libpq's words, single quotes and `\` escapes.
    static func keywordSettings(_ text: String) throws(RemoteError) -> [String: String] {
        var settings: [String: String] = [:]
        var characters = Substring(text)
        func skipSpaces() { while characters.first?.isWhitespace == true { characters.removeFirst() } }
        skipSpaces()
        while !characters.isEmpty {
            let key = characters.prefix { $0 != "=" && !$0.isWhitespace }
            characters = characters.dropFirst(key.count)
            skipSpaces()
            guard characters.first == "=" else { throw RemoteError("expected '=' after '\(key)' in the connection settings") }
            characters.removeFirst()
            skipSpaces()
            var value = ""
            if characters.first == "'" {
                characters.removeFirst()
                var closed = false
                while let c = characters.popFirst() {
                    if c == "\\", let next = characters.popFirst() { value.append(next); continue }
                    if c == "'" { closed = true; break }
                    value.append(c)
                }
                guard closed else { throw RemoteError("the value of '\(key)' opens a quote that is not closed") }
            } else {
                while let c = characters.first, !c.isWhitespace {
                    characters.removeFirst()
                    if c == "\\", let next = characters.popFirst() { value.append(next) } else { value.append(c) }
                }
            }
            settings[String(key)] = value
            skipSpaces()
        }
        return settings
    }

    package static func decoded(_ text: Substring) throws(RemoteError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw RemoteError("a '%' in the address is not followed by two hexadecimal digits")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The password of the first line of a `.pgpass` file that matches, as libpq reads it:
    /// `host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`.
    /// libpq ignores a file others may read, with a warning; so does this. A socket host
    /// matches `localhost`.
    static func passwordFile(at path: String, host: String, port: Int, database: String, user: String) -> PasswordFileAnswer {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return .noMatch }
        guard status.st_mode & 0o077 == 0 else { return .readableByOthers }
        guard let file = fopen(path, "r") else { return .noMatch }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            text += String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let wanted = [host.hasPrefix("/") ? "localhost" : host, String(port), database, user]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for c in line where c != "\r" {
                if escaped { fields[fields.count - 1].append(c); escaped = false } else if c == "\\" { escaped = true } else if c == ":" && fields.count < 5 {
                    fields.append("")
                } else { fields[fields.count - 1].append(c) }
            }
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return .found(fields[4]) }
        }
        return .noMatch
    }

    enum PasswordFileAnswer: Equatable {
        case found(String)
        case noMatch
        case readableByOthers
    }

    /// `text` with any password in it removed (a URL's `user:password@`, its `password=`
    /// parameter, a `password=` word), for history; everything else as written.
    public static func redactingPassword(_ text: String) -> String {
        var text = text
        if let scheme = text.firstRange(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
               let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
                text.removeSubrange(colon..<at)
            }
        }
        // `password=...` as a URL parameter or a key=value word, up to `&` or a space, or
        // through a quoted value.
        while let found = text.firstRange(of: "password=") {
            let before = found.lowerBound == text.startIndex ? " " : text[text.index(before: found.lowerBound)]
            guard before == " " || before == "?" || before == "&" else { break }
            var end = found.upperBound
            if end < text.endIndex && text[end] == "'" {
                end = text.index(after: end)
                while end < text.endIndex && text[end] != "'" {
                    if text[end] == "\\" { end = text.index(after: end) }
                    if end < text.endIndex { end = text.index(after: end) }
                }
                if end < text.endIndex { end = text.index(after: end) }
            } else {
                while end < text.endIndex && text[end] != "&" && text[end] != " " { end = text.index(after: end) }
            }
            var start = found.lowerBound
            if end < text.endIndex && text[end] == "&" { end = text.index(after: end) } else if before == "&" || before == " " {
                start = text.index(before: start)
            }
            text.removeSubrange(start..<end)
            if text.hasSuffix("?") { text.removeLast() }
        }
        return text
    }

    /// Text from the user in a message, cut short so a long one (or a pasted secret) stays short.
    static func shortened(_ text: String) -> String {
        let head = text.prefix { $0 != "@" && $0 != " " }
        return head.count > 40 ? String(head.prefix(40)) + "…" : String(head)
    }
}

/// What went wrong reaching or asking a remote engine. Its text never holds a password.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
    /// What failed: reaching the engine, signing in (password, TLS), the query, or nothing
    /// (the user cancelled).
    public enum Kind: Sendable {
        case connection, signIn, query, cancelled
    }

    public var message: String
    public var help: String?
    /// The connection is gone (the server stopped, the network dropped): the next statement
    /// connects again.
    public var connectionLost: Bool
    /// Where in the SQL the server put the error (1-based characters), when it said.
    public var position: Int?
    public var kind: Kind
    /// The server's SQLSTATE (`22012`, division by zero), when it raised the error.
    public var sqlState: String?
    /// The engine answered, but with something ConflictQL cannot read (a type it has no
    /// column for, a malformed batch): not the engine's error, ours to say.
    public var unreadableAnswer: Bool
    /// A result read up to a budget and stopped there (`RemoteEngine.rows(of:...)`): how
    /// many rows, and how many bytes of values, had come.
    public var stopped: (rows: Int, bytes: Int)?

    public init(_ message: String, help: String? = nil, connectionLost: Bool = false, position: Int? = nil,
                kind: Kind = .query, sqlState: String? = nil, unreadableAnswer: Bool = false) {
        self.message = message
        self.help = help
        self.connectionLost = connectionLost
        self.position = position
        self.kind = connectionLost && kind == .query ? .connection : kind
        self.sqlState = sqlState
        self.unreadableAnswer = unreadableAnswer
    }

    public static let cancelled = RemoteError("cancelled", kind: .cancelled)

    /// A result refused as too large for memory here: it has `rows` rows (nil when the engine
    /// did not count them), and the first `stopped.rows` of them had taken more than `budget`.
    package static func tooLarge(rows: Int64?, stopped: (rows: Int, bytes: Int), budget: RemoteBudget) -> RemoteError {
        let count = rows.map { "\($0)" } ?? "more than \(stopped.rows)"
        func size(_ bytes: Int) -> String {
            if bytes < 1_000_000 { return "\(bytes) bytes" }
            let tenths = (Double(bytes) / (bytes < 1_000_000_000 ? 1e5 : 1e8)).rounded() / 10
            return "\(tenths) \(bytes < 1_000_000_000 ? "MB" : "GB")"
        }
        return RemoteError("the result has \(count) rows, more than fits in memory here: its first "
                               + (stopped.rows == 1 ? "row" : "\(stopped.rows)") + " came to "
                               + "\(size(stopped.bytes)), past the \(size(budget.bytes)) "
                               + "a result may take (\(budget.source))",
                           help: "take or summarize on the engine (| take N, | summarize ...), or bring it in parts (| where ...)")
    }

    /// The error of SQL that wrapped the caller's after `prefix` (a `LIMIT` around it), with
    /// its position moved into the caller's SQL: a position inside the prefix is dropped.
    package func inside(_ prefix: String) -> RemoteError {
        guard let position else { return self }
        var moved = self
        let offset = prefix.unicodeScalars.count
        moved.position = position > offset ? position - offset : nil
        return moved
    }

    public var description: String { message }
}
