#!/bin/sh
# Fails when the repository tracks a halyard database or a sealing key: a key in git is a key
# every clone holds, so whatever halyard sealed with it is readable by anyone. Run from the
# source folder given as $1; without git or outside a work tree there is nothing to check.
set -eu
source_dir=$1
if ! command -v git >/dev/null 2>&1 || ! git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "repository_secrets: not a git work tree, nothing to check"
    exit 0
fi
tracked=$(git -C "$source_dir" ls-files -- '*secret.key' '*.db' '*.db-wal' '*.db-shm')
if [ -n "$tracked" ]; then
    echo "repository_secrets: the repository tracks a database or a sealing key:" >&2
    echo "$tracked" >&2
    echo "remove them with 'git rm --cached FILE' and keep data folders out of the tree" >&2
    exit 1
fi
echo "repository_secrets: no database or sealing key is tracked"
