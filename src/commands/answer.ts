/** One small handler per command; each returns the card to reply with. */
import type { Card } from '../cards/card.js';
import { buildErrorCard } from '../cards/errorCard.js';
import { buildHelpCard, buildInvalidIdCard } from '../cards/helpCard.js';
import { buildReadsCard } from '../cards/readsCard.js';
import type { ReadCounts } from '../feishu/openApi.js';
import { toBotError } from '../feishu/toBotError.js';
import type { Command } from './parse.js';

export interface CommandContext {
  /** read_user, already throttled. */
  readUser(batchId: string): Promise<ReadCounts>;
  now(): number;
  timeZone: string;
}

async function reads(batchId: string, ctx: CommandContext): Promise<Card> {
  try {
    const counts = await ctx.readUser(batchId);
    return buildReadsCard({ batchId, ...counts, takenAt: ctx.now() }, ctx.timeZone);
  } catch (e) {
    const error = toBotError(e);
    if (error.code === 'cancelled') throw error; // shutting down: answered after the restart instead
    return buildErrorCard(batchId, error);
  }
}

export async function answerCommand(command: Command, ctx: CommandContext): Promise<Card> {
  switch (command.kind) {
    case 'help':
      return buildHelpCard(command.reason);
    case 'invalid_id':
      return buildInvalidIdCard(command.given);
    case 'reads': {
      const [only, ...more] = command.batchIds;
      if (only === undefined || more.length > 0) return buildHelpCard('one_id_at_a_time');
      return reads(only, ctx);
    }
  }
}
