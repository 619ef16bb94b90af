import { useState } from 'react';
import type { TestimonialsProps } from './spec.ts';
import './testimonial-carousel.css';

/** One quote at a time; hydrated as an island so the buttons work. Without JS, the first quote shows. */
export default function TestimonialCarousel({ title, items }: TestimonialsProps) {
  const [index, setIndex] = useState(0);
  const item = items[index] ?? items[0];
  if (!item) return null;
  const step = (delta: number) => setIndex((i) => (i + delta + items.length) % items.length);
  return (
    <section className="mosaic-carousel section section-alt" aria-roledescription="carousel" aria-label={title}>
      <div className="container">
        <h2>{title}</h2>
        <figure className="mosaic-carousel-slide" aria-live="polite">
          <blockquote>
            <p>“{item.quote}”</p>
          </blockquote>
          <figcaption>
            <strong>{item.author}</strong>
            {item.role && <span> · {item.role}</span>}
          </figcaption>
        </figure>
        {items.length > 1 && (
          <div className="mosaic-carousel-controls">
            <button type="button" className="btn btn-outline" onClick={() => step(-1)} aria-label="Previous testimonial">
              ←
            </button>
            <span>
              {index + 1} / {items.length}
            </span>
            <button type="button" className="btn btn-outline" onClick={() => step(1)} aria-label="Next testimonial">
              →
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
