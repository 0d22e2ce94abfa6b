// Embedding.md's HTTP example, started as a process on a free loopback port and asked real
// HTTP requests: a query answered with its rows as JSON, a bad one with status 400 and the
// diagnostic, a file refused (the example's session is in safe mode).

import ConflictQL
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

final class HTTPExampleTests: XCTestCase {
    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql-http-example").path
    }

    func post(_ body: String, to port: Int) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/query")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return (status, json)
    }

    func testTheExampleAnswersQueriesWithJSON() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // The first line names the port it listens on.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let portText = text.split(separator: "\n").first?.split(separator: ":").last, let port = Int(portText) else {
            return XCTFail("no port in \(text)")
        }
        XCTAssertTrue(text.hasPrefix("listening on 127.0.0.1:"), text)

        let answer = try await post("groups | where founded >= @2011 | sort by name | select name, founded", to: port)
        XCTAssertEqual(answer.status, 200)
        let rows = (answer.json["results"] as? [[[String: Any]]])?.first ?? []
        let expected = try Session().run("groups | where founded >= @2011 | sort by name | select name, founded")
        guard case .table(let table)? = expected.last else { return XCTFail("no local table") }
        XCTAssertEqual(rows.count, table.rowCount)
        XCTAssertEqual(rows.count, 2)
        guard table.rowCount > 0 else { return XCTFail("no local rows") }
        XCTAssertEqual(rows.first?["name"] as? String, { if case .string(let s) = table.row(0)[0] { s } else { nil } }())
        XCTAssertEqual(rows.first?["founded"] as? String, "2011-12")

        let bad = try await post("groups | where foundd > 2000", to: port)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json["error"] as? String, "unknown column 'foundd'")
        XCTAssertTrue((bad.json["rendered"] as? String)?.contains("did you mean 'founded'?") == true)

        let file = try await post("load \"/etc/passwd\" as p", to: port)
        XCTAssertEqual(file.status, 400)
        XCTAssertTrue((file.json["error"] as? String)?.contains("safe mode") == true, "\(file.json)")
    }
}
