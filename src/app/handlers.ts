/** What the bot reacts to: one line an event type, command or card action, each a small handler. */
import { Handlers } from '../dispatch/registry.js';
import { deliveryPress } from '../features/delivery/deliveryButton.js';
import { delivery } from '../features/delivery/deliveryCommand.js';
import { didYouMean, help, invalidId, invalidWatch, tooLong, tooManyIds } from '../features/help/explanations.js';
import { history } from '../features/history/historyCommand.js';
import { queryForm } from '../features/reads/queryFormSubmit.js';
import { reads } from '../features/reads/readsCommand.js';
import { refresh } from '../features/reads/refreshButton.js';
import { recall, recallConfirm, recallKeep } from '../features/send/recallButtons.js';
import {
  openSend,
  sendAgain,
  sendCancel,
  sendConfirm,
  sendEdit,
  sendForm,
  sendPreview,
} from '../features/send/sendButtons.js';
import { send, sent } from '../features/send/sendCommand.js';
import { extendWatch } from '../features/watch/extendButton.js';
import { stop } from '../features/watch/stopCommand.js';
import { stopWatch } from '../features/watch/stopButton.js';
import { watch } from '../features/watch/watchCommand.js';
import { botMenu, botMenuKeys } from '../inbound/events/botMenu.js';
import { chatEntered } from '../inbound/events/chatEntered.js';
import { commandsForBot, messageReceived } from '../inbound/events/messageReceived.js';
import { parseCommand } from '../parse/parse.js';

export function registerHandlers(): Handlers {
  return new Handlers()
    .event('im.message.receive_v1', messageReceived, commandsForBot(parseCommand))
    .event('application.bot.menu_v6', botMenu, botMenuKeys)
    .event('im.chat.access_event.bot_p2p_chat_entered_v1', chatEntered)
    .command('reads', reads)
    .command('history', history)
    .command('watch', watch)
    .command('stop', stop)
    .command('delivery', delivery)
    .command('help', help)
    .command('invalid_id', invalidId)
    .command('too_many_ids', tooManyIds)
    .command('too_long', tooLong)
    .command('invalid_watch', invalidWatch)
    .command('did_you_mean', didYouMean)
    .command('send', send)
    .command('sent', sent)
    .action('refresh', refresh())
    .action('stop_watch', stopWatch)
    .action('extend_watch', extendWatch)
    .action('delivery', deliveryPress)
    .action('query_form', queryForm)
    .action('send_form', sendForm)
    .action('send_preview', sendPreview)
    .action('send_confirm', sendConfirm)
    .action('send_edit', sendEdit)
    .action('send_cancel', sendCancel)
    .action('send_again', sendAgain)
    .action('open_send', openSend)
    .action('recall', recall)
    .action('recall_confirm', recallConfirm)
    .action('recall_keep', recallKeep);
}
