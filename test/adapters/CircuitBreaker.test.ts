import { describe, expect, it } from "vitest"
import { circuitBreaker } from "../../src/adapters/llm/CircuitBreaker.js"

describe("a provider's circuit breaker, as diagnose reports it", () => {
  it("is closed, opens after the threshold of failures in a row, is half-open once the reset time passed, and closes on a success", () => {
    const breaker = circuitBreaker(2, 1000)
    expect(breaker.state(0)).toEqual({ state: "closed", failures: 0 })
    breaker.failed(10)
    expect(breaker.state(10)).toEqual({ state: "closed", failures: 1 })
    breaker.failed(20)
    expect(breaker.state(30)).toEqual({ state: "open", failures: 2 })
    expect(breaker.refuse(30)).toBe(990)
    expect(breaker.state(1020)).toEqual({ state: "half_open", failures: 2 })
    expect(breaker.refuse(1020)).toBeUndefined()
    breaker.succeeded()
    expect(breaker.state(1030)).toEqual({ state: "closed", failures: 0 })
  })
})
