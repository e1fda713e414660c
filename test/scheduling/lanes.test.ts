import { commandLane, laneAtStart, PERSON_MAX_CALLS, watchLane } from '../../src/scheduling/lanes.js';

describe('commandLane', () => {
  const work = { chatId: 'oc_1', person: 'ou_1' };

  it('is a person’s when the chat has nothing else waiting and it asks for a few ids', () => {
    expect(commandLane({ ...work, alone: true, calls: 1 })).toEqual({ cls: 'person', chat: 'oc_1', person: 'ou_1' });
    expect(commandLane({ ...work, alone: true, calls: PERSON_MAX_CALLS }).cls).toBe('person');
  });

  it('is bulk behind other commands of its chat, or with many ids', () => {
    expect(commandLane({ ...work, alone: false, calls: 1 }).cls).toBe('bulk');
    expect(commandLane({ ...work, alone: true, calls: PERSON_MAX_CALLS + 1 }).cls).toBe('bulk');
  });
});

it('puts a watch in the watch class, in its chat, as its starter’s', () => {
  expect(watchLane({ chatId: 'oc_1', startedBy: 'ou_1' })).toEqual({ cls: 'watch', chat: 'oc_1', person: 'ou_1' });
});

describe('laneAtStart', () => {
  const person = { cls: 'person', chat: 'oc_1', person: 'ou_1' } as const;

  it('keeps a person’s command a person’s while its chat has nothing else waiting', () => {
    expect(laneAtStart(person, 1)).toBe(person);
  });

  it('makes it bulk when more of its chat came behind it, and leaves other classes alone', () => {
    expect(laneAtStart(person, 3)).toEqual({ ...person, cls: 'bulk' });
    const watch = { ...person, cls: 'watch' } as const;
    expect(laneAtStart(watch, 3)).toBe(watch);
  });
});
