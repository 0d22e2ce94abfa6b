// The two coders gRPC needs for Spark Connect's protobuf messages. grpc-swift-protobuf has
// the same pair, but depending on it made every build also compile its code generator and a
// second copy of SwiftProtobuf for that host tool, for two ten-line types: they are written here.

import GRPCCore
import SwiftProtobuf

struct ProtobufSerializer<Message: SwiftProtobuf.Message>: GRPCCore.MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
        do {
            let bytes: [UInt8] = try message.serializedBytes()
            return Bytes(bytes)
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot encode a \(Message.self)", cause: error)
        }
    }
}

struct ProtobufDeserializer<Message: SwiftProtobuf.Message>: GRPCCore.MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        do {
            return try serializedMessageBytes.withUnsafeBytes { buffer in
                try Message(serializedBytes: [UInt8](buffer))
            }
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot decode a \(Message.self)", cause: error)
        }
    }
}
