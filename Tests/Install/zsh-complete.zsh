#!/usr/bin/env zsh
# What zsh's completion offers for a command line, one candidate a line, as a user gets it on
# Tab: an interactive zsh in a pseudo-terminal (zpty) with compinit over FPATH_DIR, its
# compadd wrapped to print what it adds (the technique of zsh-capture-completion). Used by
# Tests/Install/static-binary.sh to test `conflictql --generate-completion-script zsh`.
#
#   zsh-complete.zsh FPATH_DIR 'conflictql --format '
zmodload zsh/zpty
zpty z zsh -f -i
# The mark is built when it runs, so the echo of these lines is never taken for a candidate.
zpty -w z "PROMPT= ; RPROMPT= ; __m=CQ; __m+=CAND:"
zpty -w z "fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false"
zpty -w z "zmodload zsh/zutil; compprefuncs=(); comppostfuncs=(finish)"
zpty -w z 'compadd () {
  [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]] && { builtin compadd "$@"; return $? }
  typeset -a __hits __dscr
  (( $@[(I)-d] )) && { __tmp=${@[$[${@[(i)-d]}+1]]}; [[ $__tmp == \(* ]] && eval "__dscr=$__tmp" || __dscr=( "${(@P)__tmp}" ) }
  builtin compadd -A __hits -D __dscr "$@"
  setopt localoptions norcexpandparam extendedglob
  typeset -A apre hpre hsuf asuf
  zparseopts -E P:=apre p:=hpre S:=asuf s:=hsuf
  [[ -n $__hits ]] || return
  local i
  for i in {1..$#__hits}; do print -r -- "${__m}${IPREFIX}${apre}${hpre}${__hits[$i]}${hsuf}${asuf}"; done
}'
zpty -w z "finish () { print -r -- \$'\\x1e'; exit }"
zpty -w z "zle -C __cq_complete complete-word _main_complete; bindkey '^I' __cq_complete"
zpty -w z "$2"$'\t'
zpty -r z output '*'$'\x1e'
zpty -d z
# Errors of the completion functions (a bad spec) are shown, not hidden.
print -r -- "${output//$'\r'/}" | grep -E '^_[a-z_]+:' >&2
print -r -- "${output//$'\r'/}" | sed -n 's/^.*CQCAND:\(.*\)$/\1/p'
