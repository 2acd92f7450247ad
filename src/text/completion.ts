/**
 * Shell completion scripts for bash, zsh and fish, written from a description of the
 * commands (commands/completion.ts reads it off the commander program). The scripts are
 * static: pressing Tab never starts Node. Domains are completed from the zone files in
 * `--zones DIR` (default `zones/`), which each script lists itself.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What an option's value is, for completing it. */
export type ValueKind = 'none' | 'choice' | 'file' | 'dir' | 'text';

export interface OptionSpec {
  long?: string;
  short?: string;
  description: string;
  value: ValueKind;
  /** What the help calls the value: `dir`, `seconds`. */
  valueName: string;
  choices: readonly string[];
  /** Given more than once (`--nameserver A --nameserver B`). */
  repeatable: boolean;
}

/** What the words after a command's options are. */
export interface OperandSpec {
  /** Domains of the zone files. */
  domains: boolean;
  /** Saved plans: `*.json` files. */
  planFiles: boolean;
  dirs: boolean;
  choices: readonly string[];
}

export interface CommandSpec {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  operands: OperandSpec;
}

export interface ProgramSpec {
  name: string;
  /** The program's own options (--help, --version). */
  options: readonly OptionSpec[];
  commands: readonly CommandSpec[];
}

/**
 * Names, flags and choices are pasted into shell code unquoted: each must be a plain
 * word. They come from dnssync's own declarations, so a bad one is a bug here.
 */
const WORD = /^-{0,2}[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkWords(spec: ProgramSpec): void {
  const words = [
    spec.name,
    ...[...spec.options, ...spec.commands.flatMap((c) => c.options)].flatMap((o) => [
      o.long ?? 'x',
      o.short ?? 'x',
      ...o.choices,
    ]),
    ...spec.commands.flatMap((c) => [c.name, ...c.operands.choices]),
  ];
  const bad = words.find((word) => !WORD.test(word));
  if (bad !== undefined) throw new Error(`not a plain word for a completion script: ${bad}`);
}

export function completionScript(shell: Shell, spec: ProgramSpec): string {
  checkWords(spec);
  return { bash: bashScript, zsh: zshScript, fish: fishScript }[shell](spec);
}

/** The first line of a description, without a full stop at the end. */
function summary(description: string): string {
  return (description.split('\n')[0] ?? '').replace(/\.$/, '');
}

function flagsOf(option: OptionSpec): string[] {
  return [option.short, option.long].filter((flag): flag is string => flag !== undefined);
}

// --- bash ------------------------------------------------------------------------------

function bashScript(spec: ProgramSpec): string {
  const fn = `_${spec.name}`;
  const topWords = [...spec.commands.map((c) => c.name), ...spec.options.flatMap(flagsOf)];
  const cases = spec.commands.map((command) => bashCommand(command, fn)).join('\n');
  return `# ${spec.name} completion for bash, written by \`${spec.name} completion bash\`.
# This shell:  source <(${spec.name} completion bash)
# Every shell: ${spec.name} completion bash > ~/.local/share/bash-completion/completions/${spec.name}

# The domains of the zone files in --zones DIR (default zones/).
${fn}_domains() {
  local dir=zones i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      --zones)
        if [[ \${COMP_WORDS[i + 1]} == = ]]; then dir=\${COMP_WORDS[i + 2]}; else dir=\${COMP_WORDS[i + 1]}; fi
        ;;
      --zones=*) dir=\${COMP_WORDS[i]#--zones=} ;;
    esac
  done
  [[ $dir == "~/"* ]] && dir=$HOME/\${dir#"~/"}
  local file
  for file in "$dir"/*.yaml "$dir"/*.yml; do
    [[ -f $file ]] || continue
    file=\${file##*/}
    printf '%s\\n' "\${file%.*}"
  done
}

# COMPREPLY from compgen, one word per line (names with spaces stay whole).
${fn}_reply() {
  local line
  COMPREPLY=()
  while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen "$@")
}

${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD - 1]} command= i
  # bash splits --opt=value at the =.
  if [[ $cur == = ]]; then
    cur=
  elif [[ $prev == = && COMP_CWORD -gt 1 ]]; then
    prev=\${COMP_WORDS[COMP_CWORD - 2]}
  fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ \${COMP_WORDS[i]} != -* ]]; then
      command=\${COMP_WORDS[i]}
      break
    fi
  done
  COMPREPLY=()
  case $command in
    '') ${fn}_reply -W '${topWords.join(' ')}' -- "$cur" ;;
${cases}
  esac
}

complete -F ${fn} ${spec.name}
`;
}

function bashCommand(command: CommandSpec, fn: string): string {
  const valueCases: string[] = [];
  const byKind = (kind: ValueKind) =>
    command.options.filter((o) => o.value === kind && o.long !== undefined);
  for (const option of byKind('choice')) {
    valueCases.push(
      `${flagsOf(option).join('|')}) ${fn}_reply -W '${option.choices.join(' ')}' -- "$cur"; return ;;`,
    );
  }
  const grouped: Array<[ValueKind, string]> = [
    ['dir', `compopt -o filenames 2>/dev/null; ${fn}_reply -d -- "$cur"; return ;;`],
    ['file', `compopt -o filenames 2>/dev/null; ${fn}_reply -f -- "$cur"; return ;;`],
    ['text', 'return ;;'],
  ];
  for (const [kind, action] of grouped) {
    const flags = byKind(kind).flatMap(flagsOf);
    if (flags.length > 0) valueCases.push(`${flags.join('|')}) ${action}`);
  }
  const optionWords = command.options.flatMap(flagsOf).join(' ');
  const operands = bashOperands(command.operands, fn);
  const indent = (lines: string[], depth: number) =>
    lines.map((l) => `${' '.repeat(depth)}${l}`).join('\n');
  return `    ${command.name})
${valueCases.length > 0 ? `      case $prev in\n${indent(valueCases, 8)}\n      esac\n` : ''}      if [[ $cur == -* ]]; then
        ${fn}_reply -W '${optionWords}' -- "$cur"
${operands.length > 0 ? `      else\n${indent(operands, 8)}\n` : ''}      fi
      ;;`;
}

function bashOperands(operands: OperandSpec, fn: string): string[] {
  const lines: string[] = [];
  if (operands.planFiles || operands.dirs) lines.push('compopt -o filenames 2>/dev/null');
  const sources: string[] = [];
  if (operands.choices.length > 0)
    sources.push(`compgen -W '${operands.choices.join(' ')}' -- "$cur"`);
  if (operands.domains) sources.push(`compgen -W "$(${fn}_domains)" -- "$cur"`);
  if (operands.planFiles) sources.push(`compgen -f -X '!*.json' -- "$cur"`);
  if (operands.planFiles || operands.dirs) sources.push('compgen -d -- "$cur"');
  if (sources.length === 0) return [];
  if (sources.length === 1) {
    lines.push(`${fn}_reply ${(sources[0] ?? '').replace(/^compgen /, '')}`);
  } else {
    lines.push(
      'local line',
      `while IFS= read -r line; do COMPREPLY+=("$line"); done < <(${sources.join('; ')})`,
    );
  }
  return lines;
}

// --- zsh -------------------------------------------------------------------------------

/** Text inside single quotes in zsh. */
function zshQuoted(text: string): string {
  return text.replace(/'/g, `'\\''`);
}

/** A description inside `[...]` of an _arguments spec. */
function zshBracketed(text: string): string {
  return zshQuoted(text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1'));
}

function zshOption(option: OptionSpec): string[] {
  const description = `[${zshBracketed(summary(option.description))}]`;
  let value = '';
  const message = zshBracketed(option.valueName);
  if (option.value === 'choice') value = `:${message}:(${option.choices.join(' ')})`;
  else if (option.value === 'dir') value = `:${message}:_files -/`;
  else if (option.value === 'file') value = `:${message}:_files`;
  else if (option.value === 'text') value = `:${message}: `;
  const takesValue = option.value !== 'none';
  const flags = flagsOf(option);
  const repeat = option.repeatable ? '*' : '';
  const withEquals = (flag: string) => (takesValue && flag.startsWith('--') ? `${flag}=` : flag);
  if (flags.length === 1) return [`'${repeat}${withEquals(flags[0] ?? '')}${description}${value}'`];
  // -y and --yes exclude each other.
  const exclusion = option.repeatable ? '*' : `(${flags.join(' ')})`;
  return [`'${exclusion}'{${flags.map(withEquals).join(',')}}'${description}${value}'`];
}

function zshOperands(operands: OperandSpec, fn: string): string | undefined {
  const actions: string[] = [];
  if (operands.choices.length > 0) actions.push(`compadd -- ${operands.choices.join(' ')}`);
  if (operands.domains) actions.push(`${fn}_domains`);
  if (operands.planFiles) actions.push(`_files -g "*.json"`);
  else if (operands.dirs) actions.push('_files -/');
  if (actions.length === 0) return undefined;
  return `'*:argument:{${actions.join('; ')}}'`;
}

function zshScript(spec: ProgramSpec): string {
  const fn = `_${spec.name}`;
  const commandItems = spec.commands
    .map((c) => `        '${c.name}:${zshQuoted(summary(c.description))}'`)
    .join('\n');
  const cases = spec.commands
    .map((command) => {
      const specs = command.options.flatMap(zshOption);
      const operands = zshOperands(command.operands, fn);
      if (operands !== undefined) specs.push(operands);
      return `        (${command.name})
          _arguments -s \\
${specs.map((s) => `            ${s}`).join(' \\\n')} && ret=0
          ;;`;
    })
    .join('\n');
  const top = spec.options.flatMap(zshOption).map((s) => s.replace(/^'\([^)]*\)'/, "'(- *)'"));
  return `#compdef ${spec.name}
# ${spec.name} completion for zsh, written by \`${spec.name} completion zsh\`.
# This shell:  source <(${spec.name} completion zsh)   (after compinit)
# Every shell: ${spec.name} completion zsh > "\${fpath[1]}/_${spec.name}"

# The domains of the zone files in --zones DIR (default zones/).
${fn}_domains() {
  local dir=zones i
  for ((i = 1; i < CURRENT; i++)); do
    case \${words[i]} in
      --zones) dir=\${words[i+1]} ;;
      --zones=*) dir=\${words[i]#--zones=} ;;
    esac
  done
  dir=\${dir/#\\~/$HOME}
  local -a domains
  domains=( "$dir"/*.(yaml|yml)(N-.:t:r) )
  _wanted domains expl 'zone file domain' compadd -a domains
}

${fn}() {
  local curcontext=$curcontext state line ret=1
  typeset -A opt_args
  _arguments -C \\
${top.map((s) => `    ${s}`).join(' \\\n')} \\
    '1: :->command' \\
    '*:: :->argument' && ret=0
  case $state in
    (command)
      local -a commands
      commands=(
${commandItems}
      )
      _describe -t commands '${spec.name} command' commands && ret=0
      ;;
    (argument)
      curcontext=\${curcontext%:*:*}:${spec.name}-$words[1]:
      case $words[1] in
${cases}
      esac
      ;;
  esac
  return ret
}

if [[ $funcstack[1] == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${spec.name}
fi
`;
}

// --- fish ------------------------------------------------------------------------------

function fishQuoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishOption(program: string, condition: string, option: OptionSpec): string {
  const parts = [`complete -c ${program} -n ${condition}`];
  if (option.short !== undefined) parts.push(`-s ${option.short.slice(1)}`);
  if (option.long !== undefined) parts.push(`-l ${option.long.slice(2)}`);
  if (option.value === 'choice') parts.push(`-x -a ${fishQuoted(option.choices.join(' '))}`);
  else if (option.value === 'dir') parts.push(`-x -a '(__fish_complete_directories)'`);
  else if (option.value === 'file') parts.push('-r -F');
  else if (option.value === 'text') parts.push('-x');
  parts.push(`-d ${fishQuoted(summary(option.description))}`);
  return parts.join(' ');
}

function fishScript(spec: ProgramSpec): string {
  const name = spec.name;
  const lines: string[] = [`complete -c ${name} -f`];
  for (const option of spec.options) lines.push(fishOption(name, '__fish_use_subcommand', option));
  for (const command of spec.commands) {
    lines.push(
      `complete -c ${name} -n __fish_use_subcommand -a ${command.name} -d ${fishQuoted(summary(command.description))}`,
    );
  }
  for (const command of spec.commands) {
    const condition = fishQuoted(`__fish_seen_subcommand_from ${command.name}`);
    lines.push('');
    for (const option of command.options) lines.push(fishOption(name, condition, option));
    const { choices, domains, planFiles, dirs } = command.operands;
    const sources = [
      ...(choices.length > 0 ? [fishQuoted(choices.join(' '))] : []),
      ...(domains ? [`'(__${name}_domains)'`] : []),
      ...(planFiles ? [`'(__fish_complete_suffix .json)'`] : []),
      ...(dirs ? [`'(__fish_complete_directories)'`] : []),
    ];
    for (const source of sources) lines.push(`complete -c ${name} -n ${condition} -a ${source}`);
  }
  return `# ${name} completion for fish, written by \`${name} completion fish\`.
# This shell:  ${name} completion fish | source
# Every shell: ${name} completion fish > ~/.config/fish/completions/${name}.fish

# The domains of the zone files in --zones DIR (default zones/).
function __${name}_domains
    set -l dir zones
    set -l tokens (commandline -opc)
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --zones
                if test $i -lt (count $tokens)
                    set dir $tokens[(math $i + 1)]
                end
            case '--zones=*'
                set dir (string replace -- --zones= '' $tokens[$i])
        end
    end
    for file in $dir/*.yaml $dir/*.yml
        test -f $file; or continue
        string replace -r '^.*/' '' -- $file | string replace -r '\\.ya?ml$' ''
    end
end

${lines.join('\n')}
`;
}
