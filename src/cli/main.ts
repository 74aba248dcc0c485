/**
 * The `ukc` command: parses the command line with commander and dispatches to one module per command.
 * Every failure ends in one line on stderr and a documented exit code, never a stack trace (set
 * UKC_DEBUG=1 to see one for an internal error).
 */
import { Command, CommanderError } from 'commander';
import { DEFAULT_PROFILE, PROFILES } from '../layout/index.js';
import { DEFAULT_MESSAGE_BUFFERS, DEFAULT_PERSONALITY, KERNEL_PERSONALITIES } from '../../runtime/contract/index.js';
import type { RunOptions } from './run-command.js';
import type { CompareOptions } from './compare-command.js';
import type { LspOptions } from './lsp-command.js';
import { ExitCode, StreamError, type CliIO } from './cli-io.js';
import { UKC_VERSION } from './version.js';

// Each command's module is imported when the command runs, not here: the bundle (scripts/build.mjs) splits
// at these imports, so that `ukc run` does not load the language server or the debugger, and `ukc lsp` not
// the code generator or the kernel. V8 parses all it loads; at start-up that is most of a small command's work.

const EXIT_CODES_HELP = `
Exit codes:
  0   success (warnings allowed)
  1   the sources have errors (for diff: a change breaks the wire layout; for fmt --check: files are not formatted)
  2   bad command line or unreadable input
  70  internal error in ukc (please report it)
  74  standard output could not be written (disk full, I/O error)
  141 standard output's reader went away (as a shell shows SIGPIPE; nothing is printed)
  ukc run: 3 a component faulted, 4 deadlock, 5 --max-cycles reached, 6 --timeout reached,
           7 incompatible or damaged image directory, 8 the system cannot boot, 130 interrupted
  ukc emu exits with the program's own status (128 + signal when it faults, 124 at --max-instructions)`;

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
    let exitCode: number = ExitCode.Ok;
    const program = new Command('ukc')
        .enablePositionalOptions()
        .description('ukc: a toolchain for microkernel servers. Write interfaces, message layouts, servers and systems in one language.')
        .version(UKC_VERSION, '-V, --version', 'print the version')
        .helpOption('-h, --help', 'show help')
        .addHelpText('after', EXIT_CODES_HELP)
        .showSuggestionAfterError(true)
        .exitOverride()
        .configureOutput({
            writeOut: text => io.stdout(text),
            writeErr: text => io.stderr(text),
            outputError: (text, write) => write(text)
        });

    program.command('check')
        .description('check .uk files (folders are searched recursively) and print diagnostics as file:line:col: severity: message')
        .argument('<paths...>', '.uk files or folders')
        .option('--json', 'print the diagnostics as JSON')
        .action(async (paths: string[], options: { json?: boolean }) => {
            const { runCheck } = await import('./check-command.js');
            exitCode = await runCheck(paths, options, io);
        });

    program.command('fmt')
        .description('put .uk files (folders are searched recursively) in the canonical style, rewriting them in place and listing those changed')
        .argument('<paths...>', '.uk files or folders')
        .option('--check', 'write nothing; list the files that are not formatted and exit 1 if there are any (for CI)')
        .action(async (paths: string[], options: { check?: boolean }) => {
            const { runFmt } = await import('./fmt-command.js');
            exitCode = await runFmt(paths, options, io);
        });

    program.command('layout')
        .description('show how every message of the interfaces in FILE is packed into message registers')
        .argument('<file>', 'a .uk file')
        .option('--abi <profile>', `ABI profile: ${PROFILES.map(profile => profile.name).join(', ')}`, DEFAULT_PROFILE)
        .option('--method <Interface.method>', 'show one method only')
        .option('--json', 'print the layouts as JSON')
        .option('--lock', 'write the layouts to FILE.lock, for `ukc diff FILE.lock FILE` after later changes')
        .action(async (file: string, options: { abi?: string; method?: string; json?: boolean; lock?: boolean }) => {
            const { runLayout } = await import('./layout-command.js');
            exitCode = await runLayout(file, options, io);
        });

    program.command('diff')
        .description('list the changes between two versions of interfaces, and which of them break the wire layout (exit 1 if any)')
        .argument('<old>', 'the old .uk file, or a lock written by `ukc layout --lock`')
        .argument('<new>', 'the new .uk file')
        .option('--abi <profile>', `ABI profile (default: ${DEFAULT_PROFILE}, or the lock's)`)
        .action(async (oldFile: string, newFile: string, options: { abi?: string }) => {
            const { runDiff } = await import('./diff-command.js');
            exitCode = await runDiff(oldFile, newFile, options, io);
        });

    program.command('compile')
        .description('compile a system to RV32 images and a boot manifest for the bundled kernel')
        .argument('<file>', 'a .uk file that declares a system')
        .option('-o, --output <dir>', 'the image directory to write (default: SYSTEM.image)')
        .option('--system <name>', 'which system to compile, when the file declares several')
        .option('--asm', 'also write readable assembly (COMPONENT.s)')
        .action(async (file: string, options: { output?: string; system?: string; asm?: boolean }) => {
            const { runCompile } = await import('./compile-command.js');
            exitCode = await runCompile(file, options, io);
        });

    program.command('run')
        .description('compile a system and run it under the bundled kernel; --trace shows every message as a typed call')
        .argument('<file>', 'a .uk file that declares a system, or an image directory written by ukc compile')
        .option('--trace', 'print every call and reply as Interface.method(arg=value, ...)')
        .option('--trace-jsonl <file>', 'write every traced event to FILE as JSON Lines')
        .option('--trace-chrome <file>', 'write a Chrome trace-event file (open it in Perfetto or chrome://tracing)')
        .option('--trace-only <filter>', 'trace only matching events: instance=, interface=, method= or kind= (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
        .option('--trace-last <n>', 'with --trace, print only the last N lines, at the end')
        .option('--stats', 'print per method and in total: messages, bytes copied by the kernel, context switches, kernel entries, cycles per round trip')
        .option('--max-cycles <n>', 'stop after this many emulated cycles (exit 5)')
        .option('--timeout <seconds>', 'stop after this much wall time (exit 6)')
        .option('--system <name>', 'which system to run, when the file declares several')
        .option('--gdb <port>', 'wait for gdb to attach on this TCP port of localhost (0: any free port) before running')
        .option('--kernel <personality>', `the kernel's IPC model: ${KERNEL_PERSONALITIES.join(', ')} (default: the system's kernel: line, else ${DEFAULT_PERSONALITY})`)
        .option('--buffers <n>', `under rc4000 (--kernel rc4000, or the system's kernel: line): the number of kernel message buffers in the pool (default: ${DEFAULT_MESSAGE_BUFFERS})`)
        .action(async (file: string, options: RunOptions) => {
            const { runRun } = await import('./run-command.js');
            let stopRun = () => {};
            const onInterrupt = () => stopRun();
            process.once('SIGINT', onInterrupt);
            try {
                exitCode = await runRun(file, options, io, stop => { stopRun = stop; });
            } finally {
                process.removeListener('SIGINT', onInterrupt);
            }
        });

    program.command('compare')
        .description('run a system under every kernel personality (or those listed) and compare, per method and in total, messages, bytes copied, context switches, kernel entries and cycles per round trip, and where behaviour differed')
        .argument('<file>', 'a .uk file that declares a system, or an image directory written by ukc compile')
        .option('--kernel <list>', `comma-separated personalities to compare (default: all: ${KERNEL_PERSONALITIES.join(',')})`)
        .option('--json', 'print the comparison as JSON')
        .option('--max-cycles <n>', 'stop each run after this many emulated cycles')
        .option('--system <name>', 'which system to run, when the file declares several')
        .action(async (file: string, options: CompareOptions) => {
            const { runCompare } = await import('./compare-command.js');
            exitCode = await runCompare(file, options, io);
        });

    program.command('emu')
        .description('run a static rv32im Linux program on the emulated machine, like qemu-riscv32; exits with its status')
        .argument('<program>', 'an ELF32 RISC-V executable')
        .argument('[args...]', "the program's arguments")
        .option('--stats', 'print instructions, wall time and MIPS to stderr')
        .option('--max-instructions <n>', 'stop after this many instructions (exit 124)')
        .passThroughOptions()
        .action(async (programFile: string, args: string[], options: { stats?: boolean; maxInstructions?: string }) => {
            const { runEmu } = await import('./emu-command.js');
            exitCode = await runEmu(programFile, args, options, io);
        });

    program.command('lsp')
        .description('run the uk language server (for editors) over one transport')
        .option('--stdio', 'standard input and output (what editors use)')
        .option('--node-ipc', "Node's IPC channel to the parent process")
        .option('--socket <port>', 'a TCP connection to the client on this port of localhost')
        .option('--clientProcessId <pid>', 'exit when this process ends (VS Code passes it)')
        .action(async (options: LspOptions) => {
            const { runLsp } = await import('./lsp-command.js');
            exitCode = await runLsp(options, io);
        });

    program.command('debug-adapter')
        .description('serve the Debug Adapter Protocol over stdio (for editors: launch type "ukc")')
        .action(async () => {
            const { createUkcDebugSession } = await import('./debug-adapter-host.js');
            const session = createUkcDebugSession();
            session.start(process.stdin, process.stdout);
            exitCode = await new Promise<ExitCode>(resolve => session.on('close', () => resolve(ExitCode.Ok)));
        });

    try {
        await program.parseAsync([...argv], { from: 'user' });
        return exitCode;
    } catch (error) {
        if (error instanceof CommanderError) {
            // --help and --version end in a CommanderError with exit code 0; real mistakes carry 1.
            return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
        }
        if (error instanceof StreamError && error.stream !== 'stdin') {
            // Like a command killed by SIGPIPE, one whose reader has gone (`ukc ... | head`) ends quietly.
            if (error.code === 'EPIPE') return ExitCode.BrokenPipe;
            io.stderr(`ukc: ${error.message}\n`);
            return ExitCode.OutputFailed;
        }
        // A command's bad input (a missing file...) is an InputError of the session library, which only a
        // command that ran has loaded.
        const { InputError } = await import('../session/checking.js');
        if (error instanceof InputError) {
            io.stderr(`ukc: ${error.message}\n`);
            return ExitCode.Usage;
        }
        const detail = error instanceof Error ? (process.env.UKC_DEBUG ? error.stack ?? error.message : error.message) : String(error);
        io.stderr(`ukc: internal error: ${detail}\nThis is a bug in ukc; please report it with the input that caused it.\n`);
        return ExitCode.Internal;
    }
}
