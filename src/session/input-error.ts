/**
 * A problem with what a tool was asked to work on (a missing file, a folder without `.uk` files, a binary
 * file, a system that is not there): one sentence for the user. The command line turns it into exit 2, an
 * editor into a message; problems inside the sources are diagnostics instead.
 */
export class InputError extends Error {}
