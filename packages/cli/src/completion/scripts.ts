/** The shells `gantry completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

// Each script asks `gantry __complete -- <words>` for the candidates (as kubectl, flux and argocd
// ask their hidden __complete command): commands, flags and names stay those of the installed
// gantry and its configuration, with nothing generated to go stale. Nothing found: file names.
const BASH = `# bash completion for gantry: eval "$(gantry completion bash)" in ~/.bashrc
_gantry_complete() {
  local IFS=$'\\n'
  local -a words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  COMPREPLY=($(gantry __complete -- "\${words[@]}" 2>/dev/null))
}
complete -o default -F _gantry_complete gantry
`;

const ZSH = `#compdef gantry
# zsh completion for gantry: gantry completion zsh > "\${fpath[1]}/_gantry", or source <(gantry completion zsh)
_gantry() {
  local -a candidates
  candidates=("\${(@f)$(gantry __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates} )) && [[ -n "\${candidates[1]}" ]]; then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == "_gantry" ]]; then
  _gantry "$@"
else
  compdef _gantry gantry
fi
`;

const FISH = `# fish completion for gantry: gantry completion fish > ~/.config/fish/completions/gantry.fish
function __gantry_complete
    set -l tokens (commandline -opc) (commandline -ct)
    gantry __complete -- $tokens[2..-1] 2>/dev/null
end
complete -c gantry -f -a '(__gantry_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : shell === 'zsh' ? ZSH : FISH;
}
