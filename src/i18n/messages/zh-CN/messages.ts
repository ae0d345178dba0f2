/**
 * Texts of the messages sent off the site (issue 17). Each SMS body with its longest variables
 * must fit one segment with the signature: register them as templates exactly as written here
 * (docs/MESSAGES.md), with the variables in the order MESSAGE_KINDS lists them.
 */
export const messages = {
  'message.body.code': '您的验证码是{code}，10分钟内有效。如非本人操作请忽略。',
  'message.body.training.promoted': '您已由候补转为正式报名：{title}，{time}。报名号{ref}。',
  'message.body.training.cancelled': '很抱歉，培训“{title}”（{time}）已取消。{note}',
  'message.body.training.moved': '培训“{title}”改为{time}在{place}举行。',
  'message.body.training.new': '新培训：{title}，{time}。退订{unsub}',
  'message.body.training.reminder': '提醒：明天{time}培训“{title}”，地点{place}，报名号{ref}。',
  'message.body.qa.answered': '您的提问{code}已有答复：{link}',
  'message.body.qa.overdue': '{region}有{count}条农民提问超过{days}天未答复 {link}',
  'message.body.price.digest': '{summary} 退订{unsub}',
  'message.body.notice': '{text} 退订{unsub}',
  'message.body.alert': '{text} 退订{unsub}',
  'message.body.report.urgent': '紧急信息：{region}报送“{title}”，请立即签收 {link}',
  'message.body.report.overdue': '紧急信息“{title}”已超时未签收，请立即处理 {link}',
  'message.body.report.instruction': '您报送的“{title}”有领导批示，请查看并反馈落实情况 {link}',
  'message.body.review.reminder': '{region}有{count}条内容待审核已超过{hours}小时 {link}',
  'message.body.coverage.weekly': '{region}本周有{count}条内容保障问题待处理 {link}',
  'message.body.wanted.match': '有买家求购{product}，与您的“{title}”相符，请登录回应 {link}',
  'message.body.digest': '您今天另有{count}条消息未单独发送，详见{link}',
  'message.body.test': '这是一条测试消息（{channel}），发送于{time}。',
  'message.email.subject': '【{sign}】{preview}',
} as const;
