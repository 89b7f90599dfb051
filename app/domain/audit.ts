/** The audit trail's vocabulary: actions (dotted verbs) and target types, with their Chinese labels. */

/** Audit actions are dotted verbs; keep them stable, they are filtered on. */
export type AuditAction =
  | "auth.login"
  | "auth.login_failed"
  | "auth.locked"
  | "auth.logout"
  | "auth.password_changed"
  | "auth.password_reset"
  | "org.created"
  | "org.updated"
  | "user.created"
  | "user.updated"
  | "membership.added"
  | "membership.removed"
  | "membership.role_changed"
  | "region.created"
  | "document.created"
  | "document.members_changed"
  | "consultation.convened"
  | "consultation.minutes_created"
  | "consultation.attendance_recorded"
  | "consultation.rsvp"
  | "consultation.rsvp_chased"
  | "consultation.rescheduled"
  | "consultation.cancelled"
  | "document.countersign_requested"
  | "document.countersign_approved"
  | "document.countersign_returned"
  | "document.finalized"
  | "document.version_saved"
  | "document.version_restored"
  | "document.exported"
  | "comment.created"
  | "suggestion.accepted"
  | "suggestion.rejected"
  | "suggestion.withdrawn"
  | "suggestion.imported"
  | "comment.replied"
  | "comment.resolved"
  | "comment.reopened"
  | "comment.edited"
  | "comment.deleted"
  | "ledger.exported"
  | "item.progress_reported"
  | "item.extension_requested"
  | "item.extension_approved"
  | "item.extension_refused"
  | "item.closed"
  | "item.sent_back"
  | "item.reopened"
  | "item.release_requested"
  | "item.release_confirmed"
  | "item.release_returned"
  | "item.released"
  | "recommendation.registered"
  | "recommendation.reply_due_changed"
  | "recommendation.original_attached"
  | "recommendation.plan_created"
  | "recommendation.reply_prepared"
  | "recommendation.replied"
  | "recommendation.closed"
  | "case.created"
  | "case.meta_changed"
  | "case.finding_overridden"
  | "case.published"
  | "case.corrected"
  | "case.withdrawn"
  | "case.reopened";

/** Chinese labels for the audit log (every action must have one). */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "auth.login": "登录",
  "document.created": "新建文书",
  "document.members_changed": "调整文书成员",
  "consultation.convened": "召集会商",
  "consultation.minutes_created": "创建会议纪要",
  "consultation.attendance_recorded": "登记出席情况",
  "consultation.rsvp": "参会回执",
  "consultation.rsvp_chased": "催办回执",
  "consultation.rescheduled": "修改会商时间地点议程",
  "consultation.cancelled": "取消会商",
  "document.countersign_requested": "发起会签",
  "document.countersign_approved": "会签同意",
  "document.countersign_returned": "会签退回",
  "document.finalized": "文书定稿",
  "document.version_saved": "保存命名版本",
  "document.version_restored": "恢复版本",
  "document.exported": "导出文书",
  "comment.created": "新建批注",
  "suggestion.accepted": "接受修订",
  "suggestion.rejected": "拒绝修订",
  "suggestion.withdrawn": "撤回修订",
  "suggestion.imported": "导入修订稿",
  "comment.replied": "回复批注",
  "comment.resolved": "解决批注",
  "comment.reopened": "重新打开批注",
  "comment.edited": "修改批注",
  "comment.deleted": "删除批注",
  "ledger.exported": "导出台账",
  "item.progress_reported": "报送进展",
  "item.extension_requested": "申请延期",
  "item.extension_approved": "同意延期",
  "item.extension_refused": "不同意延期",
  "item.closed": "事项销号",
  "item.sent_back": "退回事项",
  "item.reopened": "重新打开事项",
  "item.release_requested": "申请解除挂牌",
  "item.release_confirmed": "确认解除挂牌",
  "item.release_returned": "退回解除挂牌",
  "item.released": "解除挂牌",
  "recommendation.registered": "登记建议书",
  "recommendation.reply_due_changed": "调整回复期限",
  "recommendation.original_attached": "上传建议书原件",
  "recommendation.plan_created": "创建整改方案",
  "recommendation.reply_prepared": "生成书面回复",
  "recommendation.replied": "书面回复",
  "recommendation.closed": "建议书销号",
  "case.created": "起草典型案例",
  "case.meta_changed": "修改案例信息",
  "case.finding_overridden": "认定无需脱敏",
  "case.published": "发布典型案例",
  "case.corrected": "更正典型案例",
  "case.withdrawn": "撤回典型案例",
  "case.reopened": "重新打开案例",
  "auth.login_failed": "登录失败",
  "auth.locked": "账号锁定",
  "auth.logout": "退出登录",
  "auth.password_changed": "修改密码",
  "auth.password_reset": "重置密码",
  "org.created": "新建单位",
  "org.updated": "修改单位",
  "user.created": "新建用户",
  "user.updated": "修改用户",
  "membership.added": "添加单位身份",
  "membership.removed": "移除单位身份",
  "membership.role_changed": "修改角色",
  "region.created": "新建区划",
};

export function isAuditAction(v: string): v is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTION_LABELS, v);
}

/** Chinese labels for `targetType`. */
export const AUDIT_TARGET_LABELS: Record<string, string> = {
  User: "用户",
  Organization: "单位",
  Region: "区划",
  Membership: "单位身份",
  Recommendation: "建议书",
  Document: "文书",
  TrackedItem: "督办事项",
};
