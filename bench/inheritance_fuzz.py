#!/usr/bin/env python3
"""Random inheritance histories, squashed and proved (run by hand).

Each seed writes one migration of CREATE TABLE ... INHERITS (one or two parents, some columns
declared again), ALTER TABLE ... ADD COLUMN on parents and on children first, and tables made
with a parent's columns in a shuffled order and attached with ALTER TABLE ... INHERIT. A history
the server refuses (an INHERIT of a table that lacks a NOT NULL, ...) is skipped; every other one
must squash and prove (exit 0). Prints the seeds that do not.

  bench/inheritance_fuzz.py --squash build/bin/squash --scratch-url 'host=/tmp port=5432 user=postgres' 1 400
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile


def history(seed):
    rnd = random.Random(seed)
    statements, parents_of, own = [], {}, {}
    counter = [0]

    def new_column():
        counter[0] += 1
        return f"c{counter[0]}"

    def descendants(table):
        found = set()
        for other, parents in parents_of.items():
            if table in parents:
                found |= {other} | descendants(other)
        return found

    def all_columns(table):
        columns = set(own[table])
        for parent in parents_of[table]:
            columns |= all_columns(parent)
        return columns

    for _ in range(rnd.randint(4, 10)):
        action = rnd.random()
        if action < 0.35 or not parents_of:
            name = f"t{len(parents_of)}"
            parents = rnd.sample(sorted(parents_of), k=min(len(parents_of), rnd.choice([0, 1, 1, 2])))
            columns = [new_column() for _ in range(rnd.randint(0, 2))]
            inherited = set().union(*[all_columns(p) for p in parents]) if parents else set()
            if inherited and rnd.random() < 0.3:
                columns.append(rnd.choice(sorted(inherited)))
            definitions = ", ".join(f"{c} int" + (" DEFAULT 3" if rnd.random() < 0.3 else "") for c in columns)
            inherits = f" INHERITS ({', '.join(parents)})" if parents else ""
            statements.append(f"CREATE TABLE {name} ({definitions}){inherits};")
            parents_of[name], own[name] = parents, set(columns)
        elif action < 0.8:
            table = rnd.choice(sorted(parents_of))
            column = new_column()
            children = sorted(descendants(table))
            if children and rnd.random() < 0.3:
                child = rnd.choice(children)
                statements.append(f"ALTER TABLE {child} ADD COLUMN {column} int;")
                own[child].add(column)
            extra = rnd.choice(["", " DEFAULT 5", " NOT NULL DEFAULT 1"])
            statements.append(f"ALTER TABLE {table} ADD COLUMN {column} int{extra};")
            own[table].add(column)
        else:
            parent = rnd.choice(sorted(parents_of))
            columns = sorted(all_columns(parent)) + [new_column()]
            rnd.shuffle(columns)
            name = f"t{len(parents_of)}"
            statements.append(f"CREATE TABLE {name} ({', '.join(c + ' int' for c in columns)});")
            statements.append(f"ALTER TABLE {name} INHERIT {parent};")
            parents_of[name], own[name] = [parent], set(columns)
    return "\n".join(statements) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squash", required=True)
    parser.add_argument("--scratch-url", required=True, help="conninfo of a server squash may use")
    parser.add_argument("first", type=int)
    parser.add_argument("last", type=int)
    args = parser.parse_args()
    failed, proved, refused = [], 0, 0
    with tempfile.TemporaryDirectory() as work:
        for seed in range(args.first, args.last + 1):
            folder = os.path.join(work, str(seed))
            os.makedirs(folder)
            with open(os.path.join(folder, "0001_history.sql"), "w") as f:
                f.write(history(seed))
            out = os.path.join(work, f"out{seed}")
            run = subprocess.run([args.squash, folder, "--format", "plain", "--output", out, "--scratch-url",
                                  args.scratch_url], capture_output=True, text=True)
            shutil.rmtree(out, ignore_errors=True)
            text = run.stdout + run.stderr
            if run.returncode == 0:
                proved += 1
            elif "0001_history.sql:" in text and ": ERROR " in text:
                refused += 1  # the server refused the history itself (file:line:column: ERROR sqlstate)
            else:
                failed.append(seed)
                print(f"seed {seed}:\n{history(seed)}{text}", file=sys.stderr)
    print(f"{proved} proved, {refused} refused by the server, {len(failed)} failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
