/* The TV's words, Chinese first (one catalog per language; this is zh-CN). */
var TV = window.TV || {};
window.TV = TV;
TV.messages = {
  "app.title": "秀洲智慧广电",
  "hint.keys": "方向键选择 · 确定键进入 · 返回键返回 · 数字键直达",
  "hint.simple": "方向键选择 · 确定 · 返回",
  "signin.title": "请用手机扫码登录电视",
  "signin.code": "或在手机上打开 {uri}，输入登录码：",
  "signin.waiting": "正在等待手机确认……",
  "signin.expired": "登录码已过期，已换新码",
  "signin.denied": "手机上拒绝了登录，已换新码",
  "signin.new_code": "换一个登录码",
  "signin.failed": "暂时无法登录，请稍后再试",
  "home.simple_on": "简洁模式：开",
  "home.simple_off": "简洁模式：关",
  "home.sign_out": "退出登录",
  "devices.title": "我的设备",
  "devices.hint": "本户已登录的电视机顶盒。丢失或转让的设备请选中后移除。",
  "devices.this": "（本机）",
  "devices.since": "登录于 {at}",
  "devices.remove_title": "移除设备",
  "devices.remove_other": "移除后，这台机顶盒立即退出登录，需在手机上重新确认才能再次使用。",
  "devices.remove_this": "移除后，本机立即退出登录，需在手机上重新确认才能再次使用。",
  "devices.remove": "确认移除",
  "home.more": "更多服务",
  "home.unavailable": "暂时无法使用，请稍后再试",
  "home.empty": "暂无内容",
  "home.failed": "首页暂时无法打开，按确定重试",
  "home.retry": "重试",
  "common.back": "返回",
  "common.more": "更多",
  "common.loading": "正在加载……",
  "common.failed": "暂时无法打开，请按返回键",
  "common.deadline": "承诺时限 {at}",
  "common.expires": "有效至 {at}",
  "screen.servicedesk": "报修与服务",
  "screen.messages": "消息",
  "screen.alerts": "应急广播",
  "alert.drill": "演练",
  "alert.ack": "我知道了",
  "alert.none": "当前没有生效的预警",
  "alert.from": "发布单位：{sender}",
  "push.new": "新消息：{title}",
  "push.new_opens": "新消息：{title}（按黄色键查看）",
  "rating.very_satisfied": "非常满意",
  "rating.satisfied": "满意",
  "rating.basically_satisfied": "基本满意",
  "rating.dissatisfied": "不满意",
  "rating.very_dissatisfied": "非常不满意"
};
// 好差评's five levels, best first (services/rules/ratings.py): every domain's rating screen.
TV.RATING_LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"];
TV.t = function (key, vars) {
  var text = TV.messages[key] || key;
  if (vars) {
    for (var name in vars) {
      if (Object.prototype.hasOwnProperty.call(vars, name)) text = text.split("{" + name + "}").join(vars[name]);
    }
  }
  return text;
};
/* A domain's screens add their own words. */
TV.addMessages = function (more) {
  for (var k in more) if (Object.prototype.hasOwnProperty.call(more, k)) TV.messages[k] = more[k];
};
