import type { messages as zh } from '../zh-CN/messages.ts';

export const messages: Record<keyof typeof zh, string> = {
  'message.body.code': 'Your code is {code}, valid for 10 minutes. Ignore this if it was not you.',
  'message.body.training.promoted': 'You moved from the waitlist to confirmed: {title}, {time}. Ref {ref}.',
  'message.body.training.cancelled': 'Sorry, the training "{title}" ({time}) is cancelled. {note}',
  'message.body.training.moved': 'The training "{title}" now takes place {time} at {place}.',
  'message.body.training.new': 'New training: {title}, {time}. Stop: {unsub}',
  'message.body.training.reminder': 'Reminder: training "{title}" tomorrow {time} at {place}, ref {ref}.',
  'message.body.qa.answered': 'Your question {code} has an answer: {link}',
  'message.body.qa.overdue': '{region}: {count} questions unanswered over {days} days {link}',
  'message.body.price.digest': '{summary} Stop: {unsub}',
  'message.body.notice': '{text} Stop: {unsub}',
  'message.body.alert': '{text} Stop: {unsub}',
  'message.body.report.urgent': 'Urgent: {region} reported "{title}", acknowledge now {link}',
  'message.body.report.overdue': 'Urgent report "{title}" is overdue, act now {link}',
  'message.body.report.instruction': 'A leader gave an instruction on your report "{title}"; see it and report the follow-up {link}',
  'message.body.review.reminder': '{region}: {count} items waiting for review over {hours} hours {link}',
  'message.body.coverage.weekly': '{region}: {count} content freshness findings this week {link}',
  'message.body.wanted.match': 'A buyer wants {product}, matching your "{title}". Answer: {link}',
  'message.body.digest': 'You have {count} more messages today: {link}',
  'message.body.test': 'Test message ({channel}) sent at {time}.',
  'message.email.subject': '[{sign}] {preview}',
};
