// GNU readline for the ConflictQL REPL. stdio.h must come first: readline.h uses FILE.
//
// Swift 6 refuses to touch C global variables (they are shared mutable state), so the REPL
// reaches readline's variables through these small accessors; it uses them from the main
// thread only.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/// Application name (for `$if conflictql` in ~/.inputrc), word breaks for completion, our
/// own completion function, and no signal handlers of readline's own (the REPL has them).
static inline void cq_readline_configure(const char *name, const char *word_breaks,
                                         rl_completion_func_t *complete) {
    rl_readline_name = name;
    rl_completer_word_break_characters = word_breaks;
    rl_attempted_completion_function = complete;
    rl_catch_signals = 0;
}

/// Completion found nothing more to try (no file-name fallback).
static inline void cq_completion_over(void) { rl_attempted_completion_over = 1; }

/// What readline adds after a completed word ('\0' for nothing, as after a folder name).
static inline void cq_completion_append(char c) { rl_completion_append_character = c; }

/// The line being edited.
static inline const char *cq_line_buffer(void) { return rl_line_buffer; }
