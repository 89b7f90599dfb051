import type { Role } from "./organization";

/**
 * 使用指南: short task-oriented pages, one per thing people come to do. The screenshots are taken by
 * the browser tests (tests/e2e/guide.spec.ts) from the demo data, so they show the pages as they are.
 */
export interface GuideTopic {
  slug: string;
  title: string;
  /** One sentence: what the task achieves. */
  summary: string;
  /** Who usually does it (the first-use card suggests these topics to them). */
  roles: readonly Role[];
  steps: readonly string[];
  /** What to know beyond the steps. */
  notes: readonly string[];
  /** Where the screenshot is taken, and what it shows (its alt text). */
  screenshot: { path: string; alt: string };
}

export const GUIDE_TOPICS: readonly GuideTopic[] = [
  {
    slug: "convene",
    title: "召集会商",
    summary: "召集单位确定会商议题、时间地点和受邀单位，受邀单位收到通知和日历邀请。",
    roles: ["COORDINATOR", "ADMIN"],
    steps: [
      "在顶部导航进入“会商”，点击“召集会商”。",
      "填写会商名称，选择会商系列（期号自动顺延），填写时间、地点和议题。",
      "选择受邀单位，并指定主持单位、记录单位以及出席、列席单位。",
      "点击“召集”。受邀单位的督办协调员和联络员立即收到通知，可下载日历邀请（.ics）导入日历。",
      "会前受邀单位在会商页面填写参会回执：参加、不参加（说明原因）或委派本单位同事；召集单位在“回执情况”中查看，可一键催办未回执的单位（每小时一次）。",
      "时间、地点或议程有变，在会商页面“变更与取消”中修改或取消会商；受邀单位和人员收到通知，重新下载日历邀请即可更新或删除原日程。",
      "会后在会商页面登记出席情况；起草纪要时，出席、列席和请假名单按此自动填写。",
    ],
    notes: ["只有受邀单位的人员能看到会商及其纪要。", "取消后的会商显示“已取消”，不再列入待召开的会商。"],
    screenshot: { path: "/guide/convene.png", alt: "召集会商页面：会商名称、系列、时间地点、议题和受邀单位" },
  },
  {
    slug: "co-draft",
    title: "共同起草纪要",
    summary: "各参与单位在同一份纪要上同时编辑，看到彼此的光标和修改，议定事项逐条编号。",
    roles: ["DRAFTER", "COORDINATOR", "LIAISON"],
    steps: [
      "在会商页面点击“起草纪要”，或在“文书”中打开本单位参与的草稿。",
      "直接在编辑区输入。其他单位人员的光标以姓名和单位标出，修改实时同步，状态栏显示“已同步”。",
      "用工具栏设置公文标题层级：一、（一）1.（1）。",
      "点击“插入议定事项”（Ctrl+Alt+I），写明事项内容，在“设置”中选择牵头单位、配合单位、完成时限和反馈周期。",
      "需要提意见而不直接改动时，选中文字后点击“批注”（Ctrl+Alt+M），可 @ 提及人员或单位。",
      "在“版本历史”中可保存命名版本、比较两个版本或恢复到早先的版本。",
    ],
    notes: [
      "参与单位的权限分为共同起草、可批注和只读，由起草单位在“参与单位”中设置。",
      "网络短暂中断时可以继续编辑（不要关闭页面），状态栏显示未同步的修改数，恢复连接后自动合并。",
    ],
    screenshot: { path: "/guide/co-draft.png", alt: "纪要编辑页面：工具栏、编辑区、议定事项和在线人员" },
  },
  {
    slug: "countersign",
    title: "发起会签",
    summary: "起草单位冻结当前内容，请各参与单位逐一确认；全部同意后纪要定稿，内容不可再改。",
    roles: ["DRAFTER", "COORDINATOR"],
    steps: [
      "在纪要页面右侧的“会签”区域，点击“冻结当前内容并发起会签”。",
      "如仍有未解决的批注，页面会列出各单位未解决的批注，确认后才能发起。",
      "各参与单位在“待本单位会签”中打开文书，选择“同意”或“退回”，退回时写明意见，也可对冻结稿中的文字批注。",
      "有单位退回时，纪要回到起草状态，按意见修改后重新发起会签。",
      "全部单位同意后纪要定稿：生成定稿版本和校验码，议定事项开始跟踪、计算完成时限。",
    ],
    notes: ["定稿后的纪要只读；导出的 Word 和 PDF 附有校验码，可在“核验”页面比对。"],
    screenshot: { path: "/guide/countersign.png", alt: "纪要页面的会签区域：会签单位及其意见" },
  },
  {
    slug: "track",
    title: "跟踪议定事项",
    summary: "议定事项、整改措施和挂牌督办案件统一进入台账，牵头单位报送进展，召集单位销号。",
    roles: ["COORDINATOR", "DRAFTER", "VIEWER", "LIAISON"],
    steps: [
      "在顶部导航进入“台账”。用类别、牵头单位、区划、状态、逾期等条件筛选，筛选条件都在链接里，可收藏或发给同事。",
      "点击事项进入详情页。牵头单位在“报送进展”中填写进展情况、上传附件，可 @ 提及相关人员或单位。",
      "完成时限不够时，牵头单位可申请延期，由召集单位审批。",
      "事项完成后报送“已完成”，召集单位核实后销号，或退回继续办理。",
      "逾期和 7 天内到期的事项在台账中标出，相关单位会收到提醒；台账可导出 Excel。",
    ],
    notes: ["上级司法行政机关可查看下级区划的事项；司法局还可查看本区划行政执法单位牵头或配合的事项（只读）。"],
    screenshot: { path: "/guide/track.png", alt: "台账页面：统计、筛选条件、图表和事项列表" },
  },
  {
    slug: "recommend",
    title: "登记建议书与整改",
    summary: "登记检察建议书、司法建议书等，被建议单位制定整改方案，逐项整改并在期限内书面回复。",
    roles: ["LIAISON", "COORDINATOR"],
    steps: [
      "在“建议书与整改”中点击“登记建议书”，选择种类，填写文号、标题、制发和主送单位，上传原件。",
      "主送单位收到通知后，在建议书页面点击“制定整改方案”，按模板写明整改措施、责任单位和时限。",
      "整改方案定稿后，每项整改措施进入台账，按议定事项的方式报送进展、销号。",
      "在回复期限内点击“生成书面回复”，核对后发出；逾期未回复的建议书会标红提醒。",
    ],
    notes: ["“概览”页按种类、办理状态和主送单位统计全部建议书，便于督办。"],
    screenshot: { path: "/guide/recommend.png", alt: "建议书与整改列表：种类、主送单位、回复期限和办理状态" },
  },
  {
    slug: "publish",
    title: "发布典型案例",
    summary: "按模板撰写典型案例，经脱敏检查和审核后向社会公开发布。",
    roles: ["PUBLISHER", "DRAFTER"],
    steps: [
      "在“典型案例”中点击“新建典型案例”，按模板填写基本案情、处理结果、典型意义和关联法条。",
      "点击“运行脱敏检查”：身份证号、手机号、车牌号、详细地址、当事人姓名等会被标出，逐一改为“某”或删除。",
      "脱敏检查通过后点击“提交审核”，审核单位同意后案例定稿。",
      "发布人员选择公开地址，点击“向社会公开发布”；公开页面和订阅源随即更新。",
      "发布后发现问题，可发布更正说明或撤回。",
    ],
    notes: ["公开页面只显示脱敏后的定稿内容；每次更正都保留版本记录。"],
    screenshot: { path: "/guide/publish.png", alt: "典型案例列表：案例标题、状态和公开地址" },
  },
  {
    slug: "expert",
    title: "个案咨询与专家意见",
    summary: "执法单位就个案的法律适用疑难问题邀请专家库中的专家书面提出意见，汇总成《专家咨询意见》。",
    roles: ["COORDINATOR", "ADMIN"],
    steps: [
      "专家、特邀行政执法监督员、人大代表和政协委员由本地区司法行政机关的督办协调员在“专家库”中添加，并为其开通登录账号（首次登录须修改密码）。",
      "在“会商”中点击“召集会商”，会商类型选择“个案咨询”，填写基本案情和咨询问题。",
      "在“邀请专家”中按领域筛选并勾选专家（本地区及上级地区专家库中已开通账号的人员），点击“召集并发送邀请”。",
      "召集后即生成《专家咨询意见》。专家登录后在工作台看到受邀事项，打开文书，选中相关文字点击“批注”提出书面意见。",
      "意见提出后，在会商页面点击“汇总专家意见”，各位专家的意见按署名写入文书“三、专家意见”部分，可继续修改，再按需发起会签和导出。",
    ],
    notes: [
      "特邀人员账号不属于任何单位，只能查看受邀参加的会商和文书，不能访问台账、线索等其他页面。",
      "专家的联系方式仅由本地区司法行政机关的管理员和督办协调员查看和维护。",
      "召集其他类型的会商时，也可在“特邀人员”中邀请专家、特邀监督员或代表委员，纪要抬头单列“特邀专家”等行。",
    ],
    screenshot: { path: "/guide/expert.png", alt: "个案咨询页面：基本案情、咨询问题、受邀专家和汇总专家意见按钮" },
  },
];

export function guideTopic(slug: string): GuideTopic | undefined {
  return GUIDE_TOPICS.find((t) => t.slug === slug);
}

/** The topics the first-use card suggests to someone with these roles (at most three). */
export function topicsForRoles(roles: readonly string[]): GuideTopic[] {
  const picked = GUIDE_TOPICS.filter((t) => t.roles.some((r) => roles.includes(r)));
  return (picked.length ? picked : GUIDE_TOPICS.slice(0, 3)).slice(0, 3);
}
