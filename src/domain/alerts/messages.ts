// The message of an alert in Vietnamese and English, from its verdict. Numbers are rounded for
// people; the exact value and threshold travel beside the message.
import type { Verdict } from './types.ts';

const r0 = (x: number) => String(Math.round(x));
const r1 = (x: number) => String(Math.round(x * 10) / 10);
/** Vietnamese writes a decimal comma: "19,6 %". */
const v1 = (x: number) => r1(x).replace('.', ',');
/** Zone names as a potter says them in Vietnamese (the simulator's and most loggers' channel names). */
const ZONES_VI: Record<string, string> = { top: 'trên', bottom: 'dưới', middle: 'giữa', mid: 'giữa', front: 'trước', back: 'sau', rear: 'sau', left: 'trái', right: 'phải', flue: 'ống khói' };
const zoneVi = (z: string) => ZONES_VI[z] ?? z;

export function messages(v: Verdict): { message_vi: string; message_en: string } {
  const val = r0(v.value), thr = r0(v.threshold);
  switch (v.kind) {
    case 'off_schedule':
      return {
        message_vi: `Nhiệt độ lệch lịch nung ${val} °C (giới hạn ±${thr} °C)`,
        message_en: `Temperature ${val} °C off the firing schedule (limit ±${thr} °C)`,
      };
    case 'rate_too_fast':
      if (v.channel === 'water_smoking') return {
        message_vi: `Tốc độ nâng nhiệt quá nhanh trong giai đoạn thoát hơi nước (dưới ${v.detail ?? '200'} °C): ${val} °C/h, giới hạn ${thr} °C/h`,
        message_en: `Heating too fast during water smoking (below ${v.detail ?? '200'} °C): ${val} °C/h, limit ${thr} °C/h`,
      };
      if (v.channel === 'quartz_cooling') return {
        message_vi: `Tốc độ hạ nhiệt quá nhanh qua vùng biến đổi thạch anh (${v.detail ?? '573'} °C): ${val} °C/h, giới hạn ${thr} °C/h`,
        message_en: `Cooling too fast through quartz inversion (${v.detail ?? '573'} °C): ${val} °C/h, limit ${thr} °C/h`,
      };
      return {
        message_vi: `Tốc độ nâng nhiệt quá nhanh qua vùng biến đổi thạch anh (${v.detail ?? '573'} °C): ${val} °C/h, giới hạn ${thr} °C/h`,
        message_en: `Heating too fast through quartz inversion (${v.detail ?? '573'} °C): ${val} °C/h, limit ${thr} °C/h`,
      };
    case 'stall':
      if (v.channel === 'flame') return {
        message_vi: `Có thể đã tắt lửa: ga vẫn chạy nhưng O₂ khói thải ${v1(v.value)} % (giới hạn ${thr} %)`,
        message_en: `Possible flame-out: gas flowing but flue O₂ at ${r1(v.value)} % (limit ${thr} %)`,
      };
      return {
        message_vi: `Lò không lên nhiệt: ga đang chạy nhưng nhiệt độ giảm ${r0(-v.value)} °C/h (tắt lửa hoặc rò rỉ ga?)`,
        message_en: `Kiln stalled: gas on but the temperature is falling ${r0(-v.value)} °C/h (flame-out or a leak?)`,
      };
    case 'over_temp':
      return {
        message_vi: `Quá nhiệt: ${val} °C, vượt quá ${thr} °C (nhiệt độ đích ${v.detail ?? '?'} °C)`,
        message_en: `Over-temperature: ${val} °C, above ${thr} °C (target ${v.detail ?? '?'} °C)`,
      };
    case 'sensor_silent':
      if (v.detail === 'offline') return {
        message_vi: 'Thiết bị đo của lò đã mất kết nối',
        message_en: "The kiln's logger went offline",
      };
      return {
        message_vi: `Mất tín hiệu cảm biến: không nhận được dữ liệu của lò trong ${val} giây (giới hạn ${thr} giây)`,
        message_en: `Sensor silent: no readings from the kiln for ${val} s (limit ${thr} s)`,
      };
    case 'tc_fault':
      if (v.detail === 'jump') return { // the channel is `${zone}-jump`: name the zone
        message_vi: `Lỗi cặp nhiệt ${zoneVi(v.channel.replace(/-jump$/, ''))}: nhảy ${val} °C giữa hai lần đo (giới hạn ${thr} °C)`,
        message_en: `Thermocouple ${v.channel.replace(/-jump$/, '')} fault: jumped ${val} °C between two readings (limit ${thr} °C)`,
      };
      if (v.detail === 'spread') return {
        message_vi: `Các cặp nhiệt lệch nhau ${val} °C (giới hạn ${thr} °C): có cặp nhiệt bị trôi hoặc hỏng`,
        message_en: `Thermocouples disagree by ${val} °C (limit ${thr} °C): one may be drifting or failing`,
      };
      return {
        message_vi: `Lỗi cặp nhiệt ${zoneVi(v.channel)}: không có số đo trong ${val} giây trong khi các vùng khác vẫn đo (hở mạch hoặc đứt dây?)`,
        message_en: `Thermocouple ${v.channel} fault: no reading for ${val} s while the other zones report (open circuit or broken wire?)`,
      };
    case 'gas_idle':
      return {
        message_vi: `Ga đang chạy khi lò không nung: ${v1(v.value)} kg/h (rò rỉ hoặc quên khoá van?)`,
        message_en: `Gas flowing while the kiln is idle: ${r1(v.value)} kg/h (a leak or a valve left open?)`,
      };
    case 'cylinder_low':
      return {
        message_vi: `Bình ga sắp hết: còn ${v1(v.value)} kg ga (giới hạn ${v1(v.threshold)} kg)`,
        message_en: `Gas cylinders running low: ${r1(v.value)} kg of gas left (limit ${r1(v.threshold)} kg)`,
      };
    case 'clock_skew': {
      const min = r1(Math.abs(v.value) / 60);
      if (v.detail === 'ahead') return {
        message_vi: `Đồng hồ thiết bị đo của lò chạy nhanh hơn máy chủ ${min.replace('.', ',')} phút: số đo bị ghi sai giờ, quá vài phút thì bị từ chối. Hãy chỉnh giờ thiết bị (NTP)`,
        message_en: `The kiln logger's clock is ${min} min ahead of the server: readings are misdated, and refused beyond a few minutes. Set the logger's clock (NTP)`,
      };
      return {
        message_vi: `Đồng hồ thiết bị đo của lò chạy chậm hơn máy chủ ${min.replace('.', ',')} phút, hoặc dữ liệu đến trễ ngần ấy: số đo bị ghi sai giờ. Hãy chỉnh giờ thiết bị (NTP)`,
        message_en: `The kiln logger's clock is ${min} min behind the server, or its messages arrive that late: readings are misdated. Set the logger's clock (NTP)`,
      };
    }
    case 'over_usual':
      if (v.channel === 'duration') return {
        message_vi: `Mẻ nung kéo dài hơn thường lệ: ${v1(v.value)} giờ, thường ${(v.detail ?? '?').replace('.', ',')} giờ`,
        message_en: `This firing is taking longer than usual: ${r1(v.value)} h, usually ${v.detail ?? '?'} h`,
      };
      return {
        message_vi: `Mẻ nung tốn ga hơn thường lệ: ${v1(v.value)} kg, thường ${(v.detail ?? '?').replace('.', ',')} kg`,
        message_en: `This firing is using more fuel than usual: ${r1(v.value)} kg, usually ${v.detail ?? '?'} kg`,
      };
  }
}
