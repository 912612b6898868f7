import { describe, expect, it } from 'vitest'
import { encodeParams, encodeValue, TopValidationError } from '../src/index.js'

describe('encodeValue', () => {
  it('encodes scalars as the gateway expects', () => {
    expect(encodeValue('女装', 'q')).toBe('女装')
    expect(encodeValue(20, 'page_size')).toBe('20')
    expect(encodeValue(9.9, 'price')).toBe('9.9')
    expect(encodeValue(4793168816102206594n, 'id')).toBe('4793168816102206594')
    expect(encodeValue(true, 'b')).toBe('true')
    expect(encodeValue(false, 'b')).toBe('false')
    expect(encodeValue(new Date(Date.UTC(2016, 0, 1, 4)), 'start_time')).toBe('2016-01-01 12:00:00')
  })

  it('comma-joins arrays of scalars and JSON-encodes objects', () => {
    expect(encodeValue([1, 2n, '3'], 'num_iids')).toBe('1,2,3')
    expect(encodeValue({ biz_type: 1, ids: [1n, 2], when: new Date(Date.UTC(2016, 0, 1, 4)) }, 'search_option')).toBe(
      '{"biz_type":1,"ids":[1,2],"when":"2016-01-01 12:00:00"}',
    )
    expect(encodeValue([{ a: 1 }, { a: 12345678901234567890n }], 'requests')).toBe('[{"a":1},{"a":12345678901234567890}]')
  })

  it('drops empty values', () => {
    for (const empty of [undefined, null, '', []]) expect(encodeValue(empty, 'x')).toBeUndefined()
  })

  it('refuses values that would go out wrong', () => {
    expect(() => encodeValue(Number.NaN, 'x')).toThrow(TopValidationError)
    expect(() => encodeValue(2 ** 60, 'x')).toThrow(/bigint or a string/)
    expect(() => encodeValue(new Date('nope'), 'x')).toThrow(TopValidationError)
    expect(() => encodeValue(() => 1, 'x')).toThrow(TopValidationError)
    expect(() => encodeValue({ n: 2 ** 60 }, 'x')).toThrow(TopValidationError)
  })
})

describe('encodeParams', () => {
  it('keeps file params apart from signed fields', () => {
    const bytes = new Uint8Array([1, 2, 3])
    const { fields, files } = encodeParams({ adzone_id: 123, pic_stream: bytes, relation_id: '', blob: new Blob(['x']) }, ['pic_stream'])
    expect({ ...fields }).toEqual({ adzone_id: '123' })
    expect(Object.keys(files)).toEqual(['pic_stream', 'blob'])
    expect(files.pic_stream).toBe(bytes)
  })
})
