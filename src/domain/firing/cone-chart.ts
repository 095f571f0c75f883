// Orton's temperature-equivalent chart for self-supporting cones (regular, not iron-free), cones
// 022 to 14: the temperature at which each cone bends when the last ~100 °C are climbed at 15, 60
// or 150 °C/h. Source and cross-checks: docs/sources.md, "Orton cones".

/** The heating rates (°C/h) the chart gives, in the order of ConeRow.temp_c_at. */
export const CHART_RATES_C_H = [15, 60, 150] as const;

export interface ConeRow {
  /** The number as stamped on the cone and written by potters: "022", "05½", "6". */
  readonly cone: string;
  /** °C at 15 / 60 / 150 °C/h; null where the chart gives no value (no 15 °C/h below cone 019). */
  readonly temp_c_at: readonly [number | null, number, number];
}

/** Coolest cone first. Half cones (05½, 5½) are in the chart and kept: they split wide steps. */
export const ORTON_SELF_SUPPORTING: readonly ConeRow[] = [
  { cone: '022', temp_c_at: [null, 586, 590] },
  { cone: '021', temp_c_at: [null, 600, 617] },
  { cone: '020', temp_c_at: [null, 626, 638] },
  { cone: '019', temp_c_at: [656, 678, 695] },
  { cone: '018', temp_c_at: [686, 715, 734] },
  { cone: '017', temp_c_at: [705, 738, 763] },
  { cone: '016', temp_c_at: [742, 772, 796] },
  { cone: '015', temp_c_at: [750, 791, 818] },
  { cone: '014', temp_c_at: [757, 807, 838] },
  { cone: '013', temp_c_at: [807, 837, 861] },
  { cone: '012', temp_c_at: [843, 861, 882] },
  { cone: '011', temp_c_at: [857, 875, 894] },
  { cone: '010', temp_c_at: [891, 903, 915] },
  { cone: '09', temp_c_at: [907, 920, 930] },
  { cone: '08', temp_c_at: [922, 942, 956] },
  { cone: '07', temp_c_at: [962, 976, 987] },
  { cone: '06', temp_c_at: [981, 998, 1013] },
  { cone: '05½', temp_c_at: [1004, 1015, 1025] },
  { cone: '05', temp_c_at: [1021, 1031, 1044] },
  { cone: '04', temp_c_at: [1046, 1063, 1077] },
  { cone: '03', temp_c_at: [1071, 1086, 1104] },
  { cone: '02', temp_c_at: [1078, 1102, 1122] },
  { cone: '01', temp_c_at: [1093, 1119, 1138] },
  { cone: '1', temp_c_at: [1109, 1137, 1154] },
  { cone: '2', temp_c_at: [1112, 1142, 1164] },
  { cone: '3', temp_c_at: [1115, 1152, 1170] },
  { cone: '4', temp_c_at: [1141, 1162, 1183] },
  { cone: '5', temp_c_at: [1159, 1186, 1207] },
  { cone: '5½', temp_c_at: [1167, 1203, 1225] },
  { cone: '6', temp_c_at: [1185, 1222, 1243] },
  { cone: '7', temp_c_at: [1201, 1239, 1257] },
  { cone: '8', temp_c_at: [1211, 1249, 1271] },
  { cone: '9', temp_c_at: [1224, 1260, 1280] },
  { cone: '10', temp_c_at: [1251, 1285, 1305] },
  { cone: '11', temp_c_at: [1272, 1294, 1315] },
  { cone: '12', temp_c_at: [1285, 1306, 1326] },
  { cone: '13', temp_c_at: [1310, 1331, 1348] },
  { cone: '14', temp_c_at: [1351, 1365, 1384] },
];
