#!/usr/bin/env bash
# Rebuilds the rv32 differential-test fixtures in test/fixtures/rv32 from their C sources, with Debian's
# riscv64-unknown-elf-gcc, and records what qemu-riscv32 (Debian's qemu-user) printed, the exit status, and
# how many instructions it executed (counted by qemu-plugin/insn-count.c). `npm test` compares `ukc emu`
# with these files and needs none of the tools; `.ci/run` rebuilds them and fails if they change.
#
# Needs: gcc-riscv64-unknown-elf, binutils-riscv64-unknown-elf, qemu-user, and a host gcc.
set -euo pipefail
cd "$(dirname "$0")/../test/fixtures/rv32"

CC=riscv64-unknown-elf-gcc
CFLAGS=(-march=rv32im_zicsr -mabi=ilp32 -O2 -nostdlib -static -ffreestanding -fno-builtin -Isrc
        -T src/link.ld -Wl,--no-warn-rwx-segments -Wl,--build-id=none)

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
gcc -shared -fPIC -O2 -o "$build/insn-count.so" qemu-plugin/insn-count.c

# build SOURCE-DIR OUTPUT-DIR: every program in SOURCE-DIR, its ELF in OUTPUT-DIR/elf and what qemu did in
# OUTPUT-DIR/expected. A program reads SOURCE-DIR/NAME.stdin as its standard input (nothing without one).
build() {
    mkdir -p "$2/elf" "$2/expected"
    for source in "$1"/*.c; do
        name=$(basename "$source" .c)
        [ "$name" = support ] && continue
        "$CC" "${CFLAGS[@]}" src/start.s src/support.c "$source" -o "$2/elf/$name.elf" -lgcc
        input=/dev/null
        [ -f "$1/$name.stdin" ] && input=$(realpath "$1/$name.stdin")
        set +e
        (cd "$2" && INSN_COUNT_FILE="$build/$name.count" qemu-riscv32 -plugin "$build/insn-count.so" "elf/$name.elf" \
            < "$input" > "expected/$name.stdout" 2> "$build/$name.stderr")
        status=$?
        set -e
        # A program killed by a signal never reaches the plugin's exit callback: no count then.
        count=null
        [ -s "$build/$name.count" ] && count=$(cat "$build/$name.count")
        printf '{ "status": %d, "instructions": %s }\n' "$status" "$count" > "$2/expected/$name.json"
        echo "$name: status $status, $count instructions"
    done
}

build src .
# The CPU benchmark (npm run bench:cpu) is too long for the test suite; it lives apart.
build src-bench bench

# What GNU as encodes and objdump prints for every instruction form, and objdump's view of each test
# program: the references for ukc's encoder, decoder and disassembler.
mkdir -p disassembly
riscv64-unknown-elf-as -march=rv32im_zicsr_zifencei -mabi=ilp32 -o "$build/all-forms.o" src-asm/all-forms.s
riscv64-unknown-elf-objdump -d -M no-aliases "$build/all-forms.o" | sed 1,2d > disassembly/all-forms.txt
riscv64-unknown-elf-as -march=rv32im_zicsr_zifencei -mabi=ilp32 -o "$build/pseudo.o" src-asm/pseudo.s
riscv64-unknown-elf-ld -m elf32lriscv -Ttext=0x10000 -e start -o "$build/pseudo.elf" "$build/pseudo.o"
riscv64-unknown-elf-objcopy -O binary -j .text "$build/pseudo.elf" "$build/pseudo.bin"
od -An -v -tx4 -w4 "$build/pseudo.bin" | tr -d " " > disassembly/pseudo.words
for elf in elf/*.elf; do
    riscv64-unknown-elf-objdump -d -M no-aliases "$elf" | sed 1,2d > "disassembly/$(basename "$elf" .elf).txt"
done
