/**
 * Appends `element`, starting an empty array afresh with exactly one slot.
 * V8 grows an array pushed onto from empty by many slots at once; where
 * thousands of small arrays wait (a flow for each chat and person queued, a
 * rate window for each person) most never hold a second element.
 */
export function pushOnto<E>(array: E[], element: E): E[] {
  if (array.length === 0) return [element];
  array.push(element);
  return array;
}
