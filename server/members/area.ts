// 省/市/区 from the county-level division code the address picker returns (@vant/area-data, the
// data behind Vant's Area picker: a province is XX0000, a city XXYY00, a county XXYYZZ).
import { areaList } from "@vant/area-data";

export { areaList };

export const AREA_CODE_RE = /^\d{6}$/;

/** ["广东省", "深圳市", "南山区"] for "440305"; null when the code names no county. */
export function areaNames(code: string): [string, string, string] | null {
  if (!AREA_CODE_RE.test(code)) return null;
  const county = areaList.county_list[code];
  const city = areaList.city_list[`${code.slice(0, 4)}00`];
  const province = areaList.province_list[`${code.slice(0, 2)}0000`];
  return county && city && province ? [province, city, county] : null;
}

/** The region as written on an address: "广东省 深圳市 南山区"; a municipality's city is not repeated ("北京市 东城区"). */
export function regionText(names: [string, string, string]): string {
  const [province, city, county] = names;
  return (province === city ? [province, county] : names).join(" ");
}
