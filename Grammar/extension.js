// The VS Code extension: the grammar and language come from package.json; this starts
// `conflictql lsp` (the setting conflictql.path names the executable) for .cq files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("conflictql").get("path") || "conflictql";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient("conflictql", "ConflictQL", { run: server, debug: server },
                              { documentSelector: [{ scheme: "file", language: "conflictql" }] });
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
