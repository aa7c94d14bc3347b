/* The phone's words, Chinese first (one catalog per language; this is zh-CN). */
var PHONE = window.PHONE || {};
window.PHONE = PHONE;
PHONE.messages = {
  "app.title": "秀洲智慧广电",
  "common.back": "返回",
  "common.more": "更多",
  "common.loading": "正在加载……",
  "common.failed": "暂时无法打开，请稍后再试",
  "common.deadline": "承诺时限 {at}",
  "signin.title": "登录",
  "signin.intro": "请用家庭成员的手机号和密码登录。",
  "signin.phone": "手机号",
  "signin.password": "密码",
  "signin.submit": "登录",
  "signin.wrong": "手机号或密码不正确，请重新输入。",
  "signin.locked": "密码错误次数过多，请 {seconds} 秒后再试。",
  "signin.missing": "请填写手机号和密码。",
  "signin.invalid": "手机号或密码的格式不正确。",
  "signin.offline": "网络不通，请稍后再试。",
  "signin.expired": "登录已过期，请重新登录。",
  "home.title": "我家的服务",
  "home.unavailable": "暂时无法使用，请稍后再试",
  "home.on_tv": "请在电视上使用",
  "home.empty": "暂无内容",
  "home.failed": "首页暂时无法打开",
  "home.retry": "重试",
  "home.sign_out": "退出登录",
  "home.household": "{name}",
  "push.new": "新消息：{title}",
  "push.alert": "应急广播：{title}",
  "rating.very_satisfied": "非常满意",
  "rating.satisfied": "满意",
  "rating.basically_satisfied": "基本满意",
  "rating.dissatisfied": "不满意",
  "rating.very_dissatisfied": "非常不满意"
};
// 好差评's five levels, best first (services/rules/ratings.py): every domain's rating screen.
PHONE.RATING_LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"];
PHONE.t = function (key, vars) {
  var text = PHONE.messages[key] || key;
  for (var name in vars || {}) text = text.split("{" + name + "}").join(vars[name]);
  return text;
};
/* A domain's screens add their own words. */
PHONE.addMessages = function (more) {
  for (var k in more) PHONE.messages[k] = more[k];
};
