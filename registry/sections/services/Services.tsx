import './services.css';
import type { SectionRenderProps } from '../../types.ts';
import type { ServicesProps } from './spec.ts';

/** Rendered by React on the server only; the page ships no client code for it. */
export default function Services({ props }: SectionRenderProps<ServicesProps>) {
  return (
    <section className="mosaic-services section">
      <div className="container">
        <div className="section-head">
          <h2>{props.title}</h2>
          {props.intro && <p>{props.intro}</p>}
        </div>
        <ul className="grid mosaic-services-list">
          {props.items.map((item) => (
            <li key={item.name} className="card mosaic-service">
              <h3>{item.name}</h3>
              {item.price && <p className="mosaic-service-price">{item.price}</p>}
              <p>{item.description}</p>
              {item.points.length > 0 && (
                <ul className="mosaic-service-points">
                  {item.points.map((point) => (
                    <li key={point}>{point}</li>
                  ))}
                </ul>
              )}
              {item.link && (
                <a className="mosaic-service-link" href={item.link.href}>
                  {item.link.label} →
                </a>
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
