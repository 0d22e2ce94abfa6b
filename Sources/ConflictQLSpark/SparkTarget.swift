// Where a Spark Connect server is and how to sign in, read as Spark's own clients read it:
// `sc://HOST[:PORT][/;key=value;...]`, the port 15002 when none is given, and the parameters
// Spark's connection string defines: `token` (a bearer token, sent only over TLS, which it
// implies), `user_id`, `use_ssl` and `session_id`.
//
// The token lives only here and in the request headers: `display` (what `explain`, `tables`,
// errors and history show) never holds it, and neither does any error this file throws.

import ConflictQLCore
import ConflictQLRemote

public struct SparkTarget: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var host: String
    public var port: Int
    public var userID: String
    public var usesTLS: Bool
    /// A session id the user chose (a UUID); else one is made per connection.
    public var sessionID: String?
    /// The bearer token, for the requests only: `description` and `display` leave it out.
    public private(set) var token: String?

    public var description: String { display }
    public var debugDescription: String { display }

    /// The target as it may be shown anywhere: `sc://host:port`, no token.
    public var display: String {
        "sc://\(host.contains(":") ? "[\(host)]" : host):\(port)" + (usesTLS ? "/;use_ssl=true" : "")
    }

    /// Whether `text` is a Spark Connect address rather than a PostgreSQL one.
    public static func isSparkAddress(_ text: String) -> Bool {
        text.drop { $0.isWhitespace }.lowercased().hasPrefix("sc://")
    }

    /// The settings this reader knows; anything else is an error rather than ignored.
    static let keys: Set<String> = ["token", "user_id", "use_ssl", "session_id", "user_agent"]

    public init(parsing text: String, environment: [String: String] = PostgresTarget.processEnvironment()) throws(RemoteError) {
        let trimmed = String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        guard SparkTarget.isSparkAddress(trimmed) else {
            throw RemoteError("'\(SparkTarget.shortened(trimmed))' is not a Spark Connect address", help: "write sc://HOST:PORT")
        }
        var rest = Substring(trimmed.dropFirst("sc://".count))
        var settings: [String: String] = [:]
        if let slash = rest.firstIndex(of: "/") {
            for pair in rest[rest.index(after: slash)...].split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                let key = String(parts[0])
                guard SparkTarget.keys.contains(key) else {
                    throw RemoteError("unknown connection setting '\(SparkTarget.shortened(key))'",
                                      help: "settings are \(SparkTarget.keys.sorted().joined(separator: ", "))")
                }
                settings[key] = parts.count > 1 ? try PostgresTarget.decoded(parts[1]) : ""
            }
            rest = rest[..<slash]
        }
        var portText = "15002"
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw RemoteError("'[' in the address is not closed by ']'") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { portText = String(rest.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            portText = String(rest[rest.index(after: colon)...])
        } else {
            host = String(rest)
        }
        if host.isEmpty { host = "localhost" }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw RemoteError("the port '\(SparkTarget.shortened(portText))' is not a number from 1 to 65535")
        }
        self.port = port
        token = settings["token"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["SPARK_CONNECT_AUTHENTICATE_TOKEN"]
        userID = settings["user_id"] ?? environment["USER"] ?? "conflictql"
        sessionID = settings["session_id"]
        switch settings["use_ssl"]?.lowercased() {
        case nil: usesTLS = token != nil
        case "true": usesTLS = true
        case "false":
            guard token == nil else {
                throw RemoteError("a token is sent only over TLS", help: "leave out use_ssl=false, or the token")
            }
            usesTLS = false
        case let other?:
            throw RemoteError("use_ssl is true or false, not '\(SparkTarget.shortened(other))'")
        }
    }

    /// `text` with any token in it removed (`;token=...`), for history; everything else as written.
    public static func redactingToken(_ text: String) -> String {
        guard let slash = text.range(of: "/;") else { return text }
        let head = text[..<slash.lowerBound]
        let kept = text[slash.upperBound...].split(separator: ";").filter { !$0.hasPrefix("token=") }
        return kept.isEmpty ? String(head) : String(head) + "/;" + kept.joined(separator: ";")
    }

    static func shortened(_ text: String) -> String {
        let head = text.prefix { $0 != ";" && $0 != " " }
        return head.count > 40 ? String(head.prefix(40)) + "…" : String(head)
    }
}
