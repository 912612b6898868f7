/**
 * What the book's orders are made of: invented goods (titles, categories,
 * shops, prices, commission rates) and the account's attribution — two
 * sites (媒体), six adzones (推广位), five channels (relation_id) and five
 * members (special_id). Orders draw from them by a hash of their index.
 */

export interface Good {
  readonly itemId: string
  readonly title: string
  readonly category: string
  readonly category2: string
  readonly shop: string
  readonly seller: string
  readonly orderType: '天猫' | '淘宝' | '聚划算'
  /** Unit price range in fen. */
  readonly minFen: number
  readonly maxFen: number
  /** Commission rate (佣金比率), hundredths of a percent. */
  readonly commission: number
}

const g = (itemId: string, title: string, category: string, category2: string, shop: string, orderType: Good['orderType'], minYuan: number, maxYuan: number, commission: number): Good => ({
  itemId,
  title,
  category,
  category2,
  shop,
  seller: `${shop.replace(/(旗舰店|专卖店|小店|官方店)$/u, '')}官方`,
  orderType,
  minFen: Math.round(minYuan * 100),
  maxFen: Math.round(maxYuan * 100),
  commission,
})

export const GOODS: readonly Good[] = [
  g('680112340001', '纯棉短袖T恤 男女同款 宽松百搭', '服装', 'T恤', '棉语服饰旗舰店', '天猫', 29, 69, 1200),
  g('680112340002', '高腰显瘦牛仔裤 春秋新款', '服装', '牛仔裤', '蓝调丹宁小店', '淘宝', 59, 139, 1050),
  g('680112340003', '轻薄羽绒服 90白鸭绒 可收纳', '服装', '羽绒服', '北纬服饰旗舰店', '天猫', 199, 599, 800),
  g('680112340004', '碎花连衣裙 法式复古 收腰', '服装', '连衣裙', '小满女装小店', '淘宝', 79, 199, 1500),
  g('680112340005', '运动跑鞋 减震透气 网面', '鞋靴', '跑步鞋', '疾风运动旗舰店', '天猫', 169, 499, 600),
  g('680112340006', '真皮通勤单肩包 大容量', '箱包', '单肩包', '素心皮具专卖店', '天猫', 129, 399, 900),
  g('680112340007', '无线蓝牙耳机 主动降噪 长续航', '数码', '耳机', '声屿数码旗舰店', '天猫', 99, 459, 450),
  g('680112340008', '65W氮化镓充电器 多口快充', '数码', '充电器', '充能小店', '淘宝', 49, 129, 700),
  g('680112340009', '机械键盘 热插拔 RGB背光', '数码', '键盘', '键客外设旗舰店', '天猫', 159, 399, 550),
  g('680112340010', '空气炸锅 家用大容量 可视窗', '家电', '空气炸锅', '厨悦电器旗舰店', '天猫', 199, 459, 400),
  g('680112340011', '手持挂烫机 小型便携 蒸汽', '家电', '挂烫机', '居居小家电官方店', '聚划算', 89, 229, 650),
  g('680112340012', '保温杯 316不锈钢 大容量', '家居', '保温杯', '暖山杯业旗舰店', '天猫', 39, 119, 1300),
  g('680112340013', '四件套 全棉磨毛 床上用品', '家居', '床品套件', '眠花家纺旗舰店', '天猫', 159, 499, 1100),
  g('680112340014', '收纳箱 加厚塑料 衣物整理', '家居', '收纳', '整理控小店', '淘宝', 29, 89, 1600),
  g('680112340015', '氨基酸洗面奶 温和清洁 120g', '美妆', '洁面', '清研美肤旗舰店', '天猫', 39, 99, 2000),
  g('680112340016', '保湿精华液 玻尿酸 30ml', '美妆', '精华', '水光实验室旗舰店', '天猫', 129, 399, 1800),
  g('680112340017', '哑光口红 丝绒质地 显白', '美妆', '唇膏', '绯色彩妆小店', '淘宝', 49, 159, 2200),
  g('680112340018', '每日坚果 混合果仁 30包', '食品', '坚果', '果仁铺子旗舰店', '天猫', 69, 139, 1400),
  g('680112340019', '挂耳咖啡 中度烘焙 50片', '食品', '咖啡', '晨焙咖啡旗舰店', '天猫', 59, 129, 1700),
  g('680112340020', '五常大米 当季新米 10斤', '食品', '大米', '田间粮仓小店', '聚划算', 49, 99, 900),
  g('680112340021', '婴儿纸尿裤 超薄透气 L码', '母婴', '纸尿裤', '贝护母婴旗舰店', '天猫', 89, 199, 500),
  g('680112340022', '儿童积木 大颗粒 益智拼装', '母婴', '玩具', '童趣乐园小店', '淘宝', 59, 259, 1250),
  g('680112340023', '猫粮 全价冻干 成猫幼猫 2kg', '宠物', '猫粮', '喵星球宠物旗舰店', '天猫', 79, 219, 1000),
  g('680112340024', '瑜伽垫 加厚防滑 健身垫', '运动', '瑜伽垫', '悦动运动专卖店', '天猫', 39, 129, 1350),
]

export interface Site {
  readonly id: number
  readonly name: string
}

export interface Adzone {
  readonly id: number
  readonly name: string
  readonly site: Site
}

export const SITES: readonly Site[] = [
  { id: 45_598_009, name: 'tbkit 示例导购站' },
  { id: 45_598_117, name: 'tbkit 示例 App' },
]

export const ADZONES: readonly Adzone[] = [
  { id: 109_871_200_101, name: '首页推荐', site: SITES[0]! },
  { id: 109_871_200_102, name: '搜索结果', site: SITES[0]! },
  { id: 109_871_200_103, name: '好物清单', site: SITES[0]! },
  { id: 109_871_200_201, name: 'App 首页', site: SITES[1]! },
  { id: 109_871_200_202, name: 'App 社群', site: SITES[1]! },
  { id: 109_871_200_203, name: 'App 直播', site: SITES[1]! },
]

/** Channel (渠道) relation ids. */
export const RELATION_IDS: readonly number[] = [2_790_001_001, 2_790_001_002, 2_790_001_003, 2_790_001_004, 2_790_001_005]

/** Member (会员运营) special ids. */
export const SPECIAL_IDS: readonly number[] = [3_310_000_071, 3_310_000_072, 3_310_000_073, 3_310_000_074, 3_310_000_075]
