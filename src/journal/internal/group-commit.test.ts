import { describe, expect, it } from 'vitest';
import { GroupCommit, type QueuedWrite } from './group-commit.js';

/** A fake transaction log: what got committed, batch by batch. */
function harness(maxBatch: number, failWhen: (batch: string[]) => boolean = () => false) {
  const committed: string[][] = [];
  const scheduled: (() => void)[] = [];
  let current: string[] = [];
  const commits = new GroupCommit({
    maxBatch,
    runInTransaction: (body) => {
      current = [];
      body();
      if (failWhen(current)) throw new Error('disk full');
      committed.push(current);
    },
    describeFailure: (cause) => new Error(`wrapped: ${String(cause)}`),
    schedule: (callback) => scheduled.push(callback),
  });
  const write = (name: string, settle?: QueuedWrite['settle']): QueuedWrite => ({
    apply: () => {
      current.push(name);
      return name.startsWith('bad') ? new Error(`rejected ${name}`) : undefined;
    },
    ...(settle ? { settle } : {}),
  });
  const runScheduled = () => scheduled.splice(0).forEach((callback) => callback());
  return { commits, committed, write, runScheduled, scheduled };
}

describe('GroupCommit', () => {
  it('commits writes of the same tick in one transaction, in order, once scheduled', () => {
    const { commits, committed, write, runScheduled, scheduled } = harness(100);
    for (const name of ['a', 'b', 'c']) commits.enqueue(write(name));
    expect(committed).toEqual([]);
    expect(scheduled).toHaveLength(1);
    runScheduled();
    expect(committed).toEqual([['a', 'b', 'c']]);
    expect(commits.pending).toBe(0);
  });

  it('commits at once when the batch is full', () => {
    const { commits, committed, write } = harness(2);
    commits.enqueue(write('a'));
    commits.enqueue(write('b'));
    commits.enqueue(write('c'));
    expect(committed).toEqual([['a', 'b']]);
    expect(commits.pending).toBe(1);
  });

  it('settles each write after its commit, with its own error', () => {
    const { commits, write } = harness(100);
    const outcomes: string[] = [];
    commits.enqueue(write('a', (error) => outcomes.push(`a:${error?.message ?? 'ok'}`)));
    commits.enqueue(write('bad1', (error) => outcomes.push(`bad1:${error?.message ?? 'ok'}`)));
    expect(outcomes).toEqual([]);
    commits.flushSync();
    expect(outcomes).toEqual(['a:ok', 'bad1:rejected bad1']);
  });

  it('isolates a write that breaks the transaction by retrying the batch one by one', () => {
    const { commits, committed, write } = harness(100, (batch) => batch.includes('poison'));
    const outcomes: string[] = [];
    for (const name of ['a', 'poison', 'b']) {
      commits.enqueue(write(name, (error) => outcomes.push(`${name}:${error?.message ?? 'ok'}`)));
    }
    commits.flushSync();
    expect(committed).toEqual([['a'], ['b']]);
    expect(outcomes).toEqual(['a:ok', 'poison:wrapped: Error: disk full', 'b:ok']);
  });

  it('reports failures of writes nobody awaits through the next flush, once', () => {
    const { commits, write } = harness(100, (batch) => batch.includes('poison'));
    commits.enqueue(write('poison'));
    expect(() => commits.flushAndReport()).toThrow('disk full');
    expect(() => commits.flushAndReport()).not.toThrow();
  });
});
