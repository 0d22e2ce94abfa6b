// Checking `union`: the stage's input and each named table or pipeline, appended in that
// order, their columns matched by name. The output has the input's columns, then each new
// column in the order the inputs bring it; a column missing from an input is null in its
// rows; Int meets Float as Float; any other clash is an error naming both inputs.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// A checked `union`: the inputs after the stage's own, and for every input (the stage's
/// input first) which of its columns fills each output column.
package struct UnionInputs {
    package var plans: [Plan]
    /// The name each input goes by in the source column and in messages: its table's name.
    package var labels: [String]
    /// `columns[input][k]`: the input's column for output column k (not counting the
    /// source column), nil where the input has none.
    package var columns: [[Int?]]
    /// Whether the output starts with a column holding each row's label.
    package var hasSourceColumn: Bool
}

extension Pipeline {
    /// What an input of `union` is called: the table its pipeline starts from.
    func unionLabel(in environment: Environment) -> String {
        switch head.kind {
        case .name(let name): return environment.tableName(for: name) ?? name
        case .subquery(let inner): return inner.unionLabel(in: environment)
        default: return "?"
        }
    }
}

extension Checker {
    mutating func checkUnion(_ pipelines: [Pipeline], sourceColumn: Identifier?, _ input: Schema,
                             inputLabel: String) throws -> (PlanStage, Schema) {
        let plans = try pipelines.map { try checkPipeline($0) }
        let labels = [inputLabel] + pipelines.map { $0.unionLabel(in: environment) }
        var fields = input.fields
        var columns: [[Int?]] = [Array(input.fields.indices)]
        for (plan, pipeline) in zip(plans, pipelines) {
            var mapping = [Int?](repeating: nil, count: fields.count)
            for (index, field) in plan.schema.fields.enumerated() {
                guard let k = fields.firstIndex(where: { $0.name == field.name }) else {
                    fields.append(field)
                    mapping.append(index)
                    continue
                }
                guard let common = DataType.common(fields[k].type, field.type) else {
                    // Which input gave the column its type so far.
                    let first = columns.firstIndex { $0.count > k && $0[k] != nil } ?? 0
                    // The conversion that makes this input's column like the ones before.
                    let convert = [DataType.int: "int", .float: "float", .string: "string"][fields[k].type]
                    throw Diagnostic(.unionTypes(field.name, fields[k].type, labels[first], field.type, labels[columns.count]),
                                           at: pipeline.range,
                                           help: convert.map { "convert one side first, for example: (\(labels[columns.count]) | extend \(field.name) = \($0)(\(field.name)))" }
                                               ?? "convert one side first with extend, or leave the column out with select")
                }
                fields[k].type = common
                fields[k].datePrecisions = fields[k].datePrecisions.merged(with: field.datePrecisions)
                // A column keeps its HXL hashtag through a union when an input has one.
                if fields[k].hashtag == nil { fields[k].hashtag = field.hashtag }
                mapping[k] = index
            }
            columns.append(mapping)
        }
        // Earlier inputs lack the columns later ones brought.
        for i in columns.indices where columns[i].count < fields.count {
            columns[i] += [Int?](repeating: nil, count: fields.count - columns[i].count)
        }
        if let sourceColumn {
            if fields.contains(where: { $0.name == sourceColumn.name }) {
                throw Diagnostic(.alreadyAColumnOfUnion(sourceColumn.name), at: sourceColumn.range,
                                       help: "name the source column otherwise: union source = \(sourceColumn.name)_table ...")
            }
            fields.insert(Field(sourceColumn.name, .string), at: 0)
        }
        let inputs = UnionInputs(plans: plans, labels: labels, columns: columns, hasSourceColumn: sourceColumn != nil)
        return (.union(inputs), Schema(fields))
    }
}
