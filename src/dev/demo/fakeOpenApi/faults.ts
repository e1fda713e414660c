/**
 * The failures a test scripts beyond a batch's own: replies that fail, a
 * message whose updates fail, batch sends that fail or are slow, and an
 * outage during which every Open API call fails.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Failure } from './batchScripts.js';
import { sendFailure } from './feishuAnswers.js';

/**
 * What a batch send meets: a failure (a refusal in Feishu JSON, or a gateway's
 * error), or a delay after which it is sent as usual, whether or not the
 * caller is still waiting for the answer.
 */
export type BatchSendStep = Failure | { kind: 'delay'; delayMs: number };

export class Faults {
  /** Calls answered with the outage's status. */
  outageRefusals = 0;
  /** While set, every Open API call, token requests included, gets this HTTP status (an outage). */
  private outageStatus: number | undefined;
  private replyFaults: Failure[] = [];
  private batchSendSteps: BatchSendStep[] = [];
  private readonly updateFailures = new Map<string, Failure>();

  /** The next replies fail like this, one failure each, before replies succeed again. */
  failReplies(...faults: Failure[]): void {
    this.replyFaults.push(...faults);
  }

  /** The failure the next reply meets, taken; undefined when it succeeds. */
  nextReplyFault(): Failure | undefined {
    return this.replyFaults.shift();
  }

  /** The next batch sends meet these, one each, before sends go through at once again. */
  scriptBatchSends(...steps: BatchSendStep[]): void {
    this.batchSendSteps.push(...steps);
  }

  /** What the next batch send meets, taken; undefined when it goes through at once. */
  nextBatchSendStep(): BatchSendStep | undefined {
    return this.batchSendSteps.shift();
  }

  /** From now on every update of this message fails like this. */
  failUpdates(messageId: string, failure: Failure): void {
    this.updateFailures.set(messageId, failure);
  }

  updateFailure(messageId: string): Failure | undefined {
    return this.updateFailures.get(messageId);
  }

  /** Feishu down (`httpStatus`) or back (`false`). */
  outage(down: boolean, httpStatus: number): void {
    this.outageStatus = down ? httpStatus : undefined;
  }

  /** Middleware: during an outage, answers the call with its status and goes no further. */
  readonly outageGate = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.outageStatus === undefined) return next();
    this.outageRefusals++;
    sendFailure(res, { kind: 'http_error', httpStatus: this.outageStatus });
  };
}
