#!/bin/sh
# Re-records the golden journals of test/replay-guard.test.ts: real runs of today's examples on
# the simulator through the real CLI, exported as JSON snapshots. Run from the repository root
# after `npm run build`, and ONLY together with a journal migration (see README.md).
set -eu
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/examples" "$work/home"
for name in review parent summarise-child string-args; do
  cp "examples/$name.workflow.js" "$work/examples/"
done
# The child workflow is part of the parent's fixture: its text decides the child's call keys.
mkdir -p test/journals/scripts/examples
cp examples/summarise-child.workflow.js test/journals/scripts/examples/

record() { # <fixture name> <script> <args>
  (cd "$work" && HOME="$work/home" node "$repo/bin/dynaflow.js" run "$2" --provider sim --yes --quiet \
    --args "$3" --state-dir "$work/state-$1" >/dev/null 2>"$work/$1.err") || {
    cat "$work/$1.err" >&2
    exit 1
  }
  run_id=$(sed -n 's/^run \(wf_[a-z0-9-]*\)$/\1/p' "$work/$1.err" | head -n 1)
  node --input-type=module -e "
    import { writeFileSync } from 'node:fs';
    import { openJournal } from '$repo/dist/journal/index.js';
    const journal = openJournal({ stateDir: process.argv[1], readonly: true });
    writeFileSync(process.argv[3], JSON.stringify(journal.exportRun(process.argv[2]), null, 2) + '\n');
    journal.close();
  " "$work/state-$1" "$run_id" "test/journals/$1.snapshot.json"
  echo "recorded $1 ($run_id)"
}

record review examples/review.workflow.js '{"files":["src/cache.ts","src/retry.ts","src/journal.ts"]}'
record parent examples/parent.workflow.js 'null'
record string-args examples/string-args.workflow.js 'rename fetchUser to loadUser across the API'
