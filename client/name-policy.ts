// Which names a secret may be exported under, for the Action, `keybridge run` and `keybridge env`
// alike. Every name must be a portable variable name, or the runner, a shell or a dotenv reader
// would misread it. A name that comes from a secret's own keys (a `*` or `**` read) is written by
// whoever can write that secret, so it may not be one that changes how later steps or the child
// run, unless the workflow lists it in allow-names. A name the workflow wrote with `| NAME` is the
// workflow's own choice; the few that take over execution get a warning line.

export const portableNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isPortableName(name: string): boolean {
  return portableNamePattern.test(name);
}

/** What the name rule says in messages. */
export const portableNameRule = "letters A-Z, digits and _, not starting with a digit";

interface ControlGroup {
  /** Who reads these variables, for the refusal line. */
  readonly readBy: string;
  /** Exact names, or prefixes ending in `*`; matched on the upper-cased name. */
  readonly names: readonly string[];
  /** The subset that runs code of the variable's choosing: a warning even when the workflow names it. */
  readonly runsCode: readonly string[];
}

const controlGroups: readonly ControlGroup[] = [
  {
    readBy: "the dynamic loader",
    names: ["LD_*", "DYLD_*", "GCONV_PATH"],
    runsCode: ["LD_*", "DYLD_*", "GCONV_PATH"],
  },
  {
    readBy: "shells",
    names: ["BASH_ENV", "ENV", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "IFS", "BASH_FUNC_*", "PATH", "HOME", "CDPATH",
      "SHELL", "ZDOTDIR", "GLOBIGNORE", "FPATH", "TMPDIR", "PAGER", "EDITOR", "VISUAL", "MANPAGER", "LESSOPEN", "LESSCLOSE", "BROWSER"],
    runsCode: ["BASH_ENV", "ENV", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "IFS", "BASH_FUNC_*", "PATH", "ZDOTDIR", "LESSOPEN"],
  },
  {
    readBy: "the GitHub runner and actions",
    names: ["GITHUB_*", "RUNNER_*", "ACTIONS_*", "INPUT_*", "STATE_*", "CI"],
    runsCode: [],
  },
  {
    readBy: "Node.js and npm",
    names: ["NODE_OPTIONS", "NODE_PATH", "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_REPL_EXTERNAL_MODULE", "NODE_V8_COVERAGE", "NPM_CONFIG_*"],
    runsCode: ["NODE_OPTIONS", "NODE_PATH", "NODE_REPL_EXTERNAL_MODULE", "NPM_CONFIG_*"],
  },
  {
    readBy: "Python and pip",
    names: ["PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONINSPECT", "PYTHONUSERBASE", "PYTHONWARNINGS", "PYTHONBREAKPOINT", "PYTHONEXECUTABLE",
      "PYTHONPLATLIBDIR", "PYTHONSAFEPATH", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONFIG_FILE"],
    runsCode: ["PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONWARNINGS", "PYTHONBREAKPOINT"],
  },
  {
    readBy: "Git and SSH",
    names: ["GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_EXEC_PATH", "GIT_CONFIG", "GIT_CONFIG_*", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF",
      "GIT_PAGER", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_DIR", "GIT_WORK_TREE", "GIT_TEMPLATE_DIR", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
      "GIT_SSL_NO_VERIFY", "GIT_SSL_CAINFO", "SSH_ASKPASS", "SSH_AUTH_SOCK"],
    runsCode: ["GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_EXEC_PATH", "GIT_CONFIG_*", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF", "SSH_ASKPASS"],
  },
  {
    readBy: "proxies and TLS",
    names: ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE",
      "OPENSSL_CONF", "OPENSSL_ENGINES"],
    runsCode: ["OPENSSL_CONF", "OPENSSL_ENGINES"],
  },
  {
    readBy: "Perl, Ruby, Java, Go and Rust",
    names: ["PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "RUBYOPT", "RUBYLIB", "GEM_HOME", "GEM_PATH", "BUNDLE_GEMFILE",
      "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "MAVEN_OPTS", "GRADLE_OPTS", "GOFLAGS", "GOPROXY", "RUSTC_WRAPPER", "RUSTFLAGS"],
    runsCode: ["PERL5OPT", "PERL5LIB", "PERL5DB", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "GOFLAGS", "RUSTC_WRAPPER"],
  },
];

/**
 * One kind of pattern (names, or runsCode) of every group, indexed: a map of exact names and the
 * few prefixes, each with the index of its group. A step checks every exported name, 100 and more,
 * which a scan of every pattern made the costliest check of its export.
 */
class PatternIndex {
  private readonly exact = new Map<string, number>();
  private readonly prefixes: [prefix: string, group: number][] = [];

  constructor(patternsOf: (group: ControlGroup) => readonly string[]) {
    controlGroups.forEach((group, index) => {
      for (const pattern of patternsOf(group)) {
        if (pattern.endsWith("*")) this.prefixes.push([pattern.slice(0, -1), index]);
        else if (!this.exact.has(pattern)) this.exact.set(pattern, index);
      }
    });
  }

  /** The first group (in controlGroups' order) with a pattern that matches the upper-cased name. */
  groupOf(upper: string): ControlGroup | undefined {
    let first = this.exact.get(upper) ?? controlGroups.length;
    for (const [prefix, index] of this.prefixes) if (index < first && upper.startsWith(prefix)) first = index;
    return controlGroups[first];
  }
}

const byName = new PatternIndex((group) => group.names);
const byRunsCode = new PatternIndex((group) => group.runsCode);

/** Who reads `name` to decide how a program runs, or undefined for an ordinary name. Case-insensitive (Windows). */
export function controlledBy(name: string): string | undefined {
  return byName.groupOf(name.toUpperCase())?.readBy;
}

/** True for the names that make a later program run code of the variable's choosing. */
export function runsCode(name: string): boolean {
  return byRunsCode.groupOf(name.toUpperCase()) !== undefined;
}

/** The allow-names list as given (commas, spaces or lines), upper-cased for case-insensitive matching. */
export function parseAllowNames(text: string): Set<string> {
  return new Set(text.split(/[\s,]+/).filter((name) => name !== "").map((name) => name.toUpperCase()));
}

/** A name the allow-names list holds is one the workflow took responsibility for. */
export function isAllowed(name: string, allowNames: ReadonlySet<string>): boolean {
  return allowNames.has(name.toUpperCase());
}
