#!/usr/bin/env bash
# A read-only disk and a full disk under `byline index`, on a real filesystem: a 1 MiB tmpfs,
# mounted in a private mount namespace (run as `unshare -rm bash disk.sh ...`, which needs no
# root where user namespaces are allowed). Each step's exit code, stdout and stderr go to
# OUT/<step>.{code,out,err} for the test in tests/reliability/mod.rs to check.
#
# usage: disk.sh BYLINE SEEDS CORPUS MOUNTPOINT OUT
set -uo pipefail
byline=$1 seeds=$2 corpus=$3 mnt=$4 out=$5
index=$mnt/index

step() {
    local name=$1
    shift
    "$byline" --index "$index" "$@" >"$out/$name.out" 2>"$out/$name.err"
    echo $? >"$out/$name.code"
}

mount -t tmpfs -o size=1m tmpfs "$mnt" || exit 10
step seeds index "$seeds"
mount -o remount,ro "$mnt" || exit 11
step ro-index index "$corpus"
step ro-search search Iravani --json
mount -o remount,rw "$mnt" || exit 12
step full-index index "$corpus"
step full-search search Iravani --json
step full-articles articles --json
mount -o remount,size=64m "$mnt" || exit 13
step grown-index index "$corpus" --json
step grown-search search Iravani --json
umount "$mnt"
